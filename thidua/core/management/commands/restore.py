from django.core.management.base import BaseCommand, CommandError

from thidua.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Phục hồi một bản sao lưu vào cài đặt trống: kiểm tra mã SHA-256 của mọi tệp trước, "
            "rồi nạp cơ sở dữ liệu, tệp, khóa bí mật và chạy migrate.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu do `thidua backup` tạo")
        parser.add_argument("--sha256", default="",
                            help="Mã SHA-256 của cả tệp, do `thidua backup` in ra (nên dùng).")

    def handle(self, *args, file, sha256, **options):
        try:
            manifest = restore_backup(file, expected_sha256=sha256, stdout=self.stdout)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã phục hồi bản sao lưu ngày {manifest['created_at']} "
                          f"(phiên bản {manifest['version']}); mọi mã SHA-256 đều khớp.")
