from django.core.management.base import BaseCommand

from thidua.home.demo import seed_demo
from thidua.orgs.models import Organisation, Role


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: tổ chức của thành phố Bắc Kạn năm 2021, Kế hoạch 23/KH-UBND, tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Chỉ nạp khi cơ sở dữ liệu chưa có tổ chức nào.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.")
            return
        accounts = seed_demo()
        labels = dict(Role.choices) | {"administrator": "Quản trị hệ thống"}
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {accounts[0]['password']}):")
        for a in accounts:
            self.stdout.write(f"  {a['username']:<18} {labels[a['role']]} — {a['full_name']}")
