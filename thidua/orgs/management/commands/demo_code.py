from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thidua.orgs import demo_mfa


class Command(BaseCommand):
    help = ("In mã xác thực hai bước hiện tại của một tài khoản mẫu (chỉ tài khoản có thiết bị "
            "mẫu); không có tên đăng nhập: in khóa bí mật mẫu và đường dẫn otpauth của từng "
            "tài khoản mẫu.")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="Tên đăng nhập của tài khoản mẫu.")

    def handle(self, *args, username=None, **options):
        if username is None:
            lines = demo_mfa.describe()
            if not lines:
                raise CommandError("Không có tài khoản mẫu nào dùng thiết bị xác thực mẫu.")
            for line in lines:
                self.stdout.write(line)
            return
        try:
            self.stdout.write(demo_mfa.current_code(username))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
