from django.core.management.base import BaseCommand

from thidua.nominations.actions import purge_rejected_sheets


class Command(BaseCommand):
    help = "Xóa các danh sách Excel bị từ chối đã quá hạn lưu giữ (bản ghi và tệp)."

    def handle(self, *args, **options):
        count = purge_rejected_sheets()
        self.stdout.write(f"Đã xóa {count} danh sách bị từ chối đã quá hạn.")
