import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thidua.core import activity
from thidua.orgs import limits
from thidua.orgs.models import User


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị hệ thống (mật khẩu lấy từ THIDUA_ADMIN_PASSWORD hoặc nhập tay)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="Quản trị hệ thống")

    def handle(self, *args, username, email, full_name, **options):
        try:
            username = limits.clean(username, 150, "Tên đăng nhập")
            full_name = limits.clean(full_name, limits.FULL_NAME, "Họ và tên", naming=True)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Tài khoản “{username}” đã tồn tại.")
        password = os.environ.get("THIDUA_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise CommandError("Hai lần nhập mật khẩu không khớp.")
        user = User(username=username, email=email, full_name=full_name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Mật khẩu chưa đạt yêu cầu: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        user.is_staff = user.is_superuser = True
        user.save()
        activity.record("user.admin_created", target=user, after={"username": username})
        self.stdout.write(f"Đã tạo tài khoản quản trị “{username}”.")
