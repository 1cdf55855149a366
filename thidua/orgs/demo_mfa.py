"""The demo's second factor: easy to try, and only for the demo.

The privileged demo accounts (administrator, secretariat, chairman, unit heads: those of whom
``orgs.mfa.required`` asks a second factor) get an authenticator with one fixed, published
secret, ``DEMO_SECRET``. Add it once to any authenticator app (or scan the otpauth link
``thidua seed-demo`` prints), or let ``thidua demo-code <user name>`` print the current code.
The command answers only for accounts whose authenticator is this demo one: a real account's
secret never leaves the database.
"""

from base64 import b32decode
from time import time

from django.core.exceptions import ValidationError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.core import activity
from thidua.orgs import mfa
from thidua.orgs.models import User

# Base32 (letters A–Z and digits 2–7): 32 characters, a 20-byte key. Public: for the demo only.
DEMO_SECRET = "THIDUABACKANDEMOTHIDUABACKANDEMO"
DEMO_KEY = b32decode(DEMO_SECRET).hex()
DEMO_DEVICE = "Thiết bị mẫu (demo)"


def give_demo_devices(accounts) -> list[User]:
    """Give each demo account (rows with a "username") that must use a second factor and has
    none the demo authenticator; returns the users given one."""
    given = []
    for row in accounts:
        user = User.objects.filter(username=row["username"]).first()
        if user is None or not mfa.required(user) or mfa.enrolled(user):
            continue
        TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, key=DEMO_KEY, confirmed=True)
        activity.record("mfa.enrolled", target=user, after={"demo": True})
        given.append(user)
    return given


def demo_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, key=DEMO_KEY, confirmed=True).first()


def current_code(username: str, at: float | None = None) -> str:
    """The code the demo authenticator shows now for ``username``; refused for any account
    whose authenticator is not the demo one."""
    user = User.objects.filter(username=username).first()
    device = demo_device(user) if user is not None else None
    if device is None:
        raise ValidationError(
            f"“{username}” không có thiết bị xác thực mẫu: chỉ in mã cho tài khoản mẫu.")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def describe(accounts=None) -> list[str]:
    """Lines for the console: what a privileged demo account needs to sign in."""
    users = (User.objects.filter(username__in=[a["username"] for a in accounts])
             if accounts is not None else User.objects.all()).order_by("username")
    with_device = [(u, d) for u in users if (d := demo_device(u)) is not None]
    if not with_device:
        return []
    lines = [
        "Xác thực hai bước (bắt buộc với quản trị, Thường trực Hội đồng, người ký quyết định):",
        f"  khóa bí mật mẫu: {DEMO_SECRET} (thêm vào ứng dụng xác thực, loại TOTP, 6 chữ số, 30 giây)",
        "  hoặc in mã hiện tại: thidua demo-code <tên đăng nhập>",
    ]
    lines += [f"  {user.username:<18} {device.config_url}" for user, device in with_device]
    return lines
