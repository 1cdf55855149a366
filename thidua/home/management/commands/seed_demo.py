from time import perf_counter

from django.core.management.base import BaseCommand

from thidua.home.demo import SITE, demo_data, load_accounts, seed_demo, seed_living_city
from thidua.orgs import demo_mfa
from thidua.orgs.models import Organisation, Role


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu: tổ chức của thành phố Bắc Kạn năm 2021, Kế hoạch 23/KH-UBND, tài "
            "khoản mẫu, và một thành phố đang làm việc (hồ sơ ở mọi bước, phiên họp, quyết định, "
            "giấy khen, sổ khen thưởng). Chạy lại không thay đổi gì.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Chỉ nạp khi cơ sở dữ liệu chưa có tổ chức nào.")
        parser.add_argument("--empty", action="store_true",
                            help="Chỉ nạp hệ thống trống: tổ chức, phong trào, tài khoản mẫu.")
        parser.add_argument("--site", default=SITE,
                            help="Địa chỉ trang web in trong mã QR của giấy khen mẫu.")

    def handle(self, *args, if_empty=False, empty=False, site=SITE, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.")
            return
        started = perf_counter()
        accounts = seed_demo()
        if not empty:
            if seed_living_city(site=site):
                self.stdout.write(f"Đã dựng dữ liệu thành phố đang làm việc "
                                  f"({perf_counter() - started:.1f} giây).")
            else:
                self.stdout.write("Dữ liệu thành phố đang làm việc đã có; không thay đổi.")
            accounts += load_accounts(demo_data(), "living_accounts")
        labels = dict(Role.choices) | {"administrator": "Quản trị hệ thống"}
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {accounts[0]['password']}):")
        for a in accounts:
            self.stdout.write(f"  {a['username']:<18} {labels[a['role']]} — {a['full_name']}")
        for line in demo_mfa.describe(accounts):  # the second factor of the privileged ones
            self.stdout.write(line)
