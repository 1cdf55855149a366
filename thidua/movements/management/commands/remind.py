from django.core.management.base import BaseCommand

from thidua.movements.reminders import send_reminders


class Command(BaseCommand):
    help = ("Nhắc các đơn vị quá hạn hoặc sắp đến hạn đăng ký, kế hoạch, báo cáo (mỗi hạn một "
            "lần cho mỗi đơn vị; chạy lại không gửi trùng).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Nhắc trước hạn bao nhiêu ngày (mặc định 3).")

    def handle(self, *args, days=None, **options):
        sent = send_reminders(soon_days=days)
        self.stdout.write(f"Đã gửi {sent} lời nhắc.")
