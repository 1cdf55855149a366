from django.core.management.base import BaseCommand, CommandError

from thidua.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Sao lưu toàn bộ (cơ sở dữ liệu, tệp đính kèm, khóa bí mật, phiên bản, danh mục "
            "SHA-256) vào một tệp .tar.gz, trong khi hệ thống vẫn chạy.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu sẽ ghi, ví dụ /var/backups/thidua/2026-12-05.tar.gz")

    def handle(self, *args, file, **options):
        try:
            manifest = create_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"Đã sao lưu vào {file}: cơ sở dữ liệu {manifest['engine']}, "
                          f"{sum(manifest['rows'].values())} dòng, {media} tệp.")
        self.stdout.write(f"SHA-256 của tệp sao lưu: {manifest['archive_sha256']}")
