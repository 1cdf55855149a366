"""Two-step sign-in (xác thực hai bước): a TOTP code from an authenticator app after the
password, with ten one-time recovery codes for a lost phone (django-otp's TOTP and static
devices).

Anyone may turn it on from their account page. It is **required** (:func:`required`) of
administrators, the council's secretariat and everyone who signs decisions (chairman, unit
heads): such a user without a device is sent to enrolment and can do nothing else until done
(``orgs.middleware``). A user with a device is asked for a code after the password, every time.

Every enrolment, removal, renewal of the recovery codes and use of a recovery code is a row of
the activity log. Wrong codes are throttled per device by django-otp (1, 2, 4, 8… seconds after
each failure, in the device's row, so on every app server).
"""

from base64 import b32encode

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.core import activity
from thidua.core.permissions import require
from thidua.orgs.models import Role

# Who must use a second factor besides administrators: those who run the council's files and
# those who sign decisions (the roles decisions.rules lets sign).
REQUIRED_ROLES = frozenset({Role.COUNCIL_SECRETARIAT, Role.CHAIRMAN, Role.UNIT_HEAD})
RECOVERY_CODES = 10
DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"


def required(user) -> bool:
    """Whether ``user`` must sign in with a second factor."""
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_superuser or user.roles() & REQUIRED_ROLES)


def enrolled(user) -> bool:
    """Whether ``user`` has a confirmed authenticator (then every sign-in asks for a code)."""
    return bool(user and user.is_authenticated
                and TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret(device: TOTPDevice) -> str:
    """The device's secret as an authenticator app asks for it by hand (base32, in groups of
    four: "THID UABA …")."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth link as a QR code, an SVG data URI for an <img> (the CSP allows data: images,
    no inline styles)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def typed_code(text) -> str:
    """What a person typed, as a code: spaces and dashes do not matter, nor letter case."""
    return "".join(str(text or "").split()).replace("-", "").lower()


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed device with a new secret, kept until it
    is confirmed (reloading the page shows the same secret)."""
    if enrolled(user):
        raise ValidationError(_("Xác thực hai bước đã được bật cho tài khoản này."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _own(user, by) -> None:
    if by is None or not by.is_authenticated or by.pk != user.pk:
        raise PermissionDenied(_("Chỉ chủ tài khoản mới thay đổi được xác thực hai bước."))


def _check_password(user, password) -> None:
    if not user.check_password(password or ""):
        raise ValidationError(_("Mật khẩu không đúng."))


@transaction.atomic
def confirm_enrolment(user, code, *, by) -> tuple[TOTPDevice, list[str]]:
    """Bật: the first code from the app proves it holds the secret; the device is confirmed and
    ten recovery codes are made (shown once). Returns the device and the codes."""
    _own(user, by)
    device = (TOTPDevice.objects.select_for_update()
              .filter(user=user, confirmed=False).order_by("pk").first())
    if device is None:
        raise ValidationError(_("Phiên thiết lập đã hết; hãy bắt đầu lại."))
    token = typed_code(code)
    if not (token.isdigit() and len(token) == device.digits):
        raise ValidationError(_("Hãy nhập mã gồm %(n)s chữ số đang hiện trong ứng dụng xác "
                                "thực.") % {"n": device.digits})
    if not device.verify_token(token):
        raise ValidationError(_("Mã không đúng. Hãy kiểm tra giờ của điện thoại và nhập mã "
                                "đang hiện (mã đổi sau mỗi 30 giây)."))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])  # verify_token saved the rest
    codes = _new_recovery_codes(user)
    activity.record("mfa.enrolled", actor=by, target=user,
                    after={"recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def renew_recovery_codes(user, *, password, by) -> list[str]:
    """Tạo lại mã khôi phục: ten new codes replace the old ones (shown once)."""
    _own(user, by)
    if not enrolled(user):
        raise ValidationError(_("Tài khoản chưa bật xác thực hai bước."))
    _check_password(user, password)
    codes = _new_recovery_codes(user)
    activity.record("mfa.recovery_renewed", actor=by, target=user,
                    after={"recovery_codes": len(codes)})
    return codes


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def disable(user, *, password, code, by) -> None:
    """Tắt: with the password and a current code (or a recovery code). For a user who must use
    a second factor this is how a new phone is set up: the next page is the enrolment."""
    _own(user, by)
    if not enrolled(user):
        raise ValidationError(_("Tài khoản chưa bật xác thực hai bước."))
    _check_password(user, password)
    # Checked outside the removal's transaction: a wrong code counts against the throttle.
    device, problem = check_code(user, code)
    if device is None:
        raise ValidationError(problem)
    with transaction.atomic():
        _remove_devices(user)
        activity.record("mfa.disabled", actor=by, target=user, after={"required": required(user)})


@transaction.atomic
def remove_for(user, *, by) -> None:
    """An administrator removes a user's second factor (a lost phone and no recovery code);
    the user sets it up again at the next sign-in if it is required of them."""
    require(by, "orgs.manage_organisations")
    had = enrolled(user)
    _remove_devices(user)
    activity.record("mfa.removed", actor=by, target=user, before={"enrolled": had})


def check_code(user, code) -> tuple[object | None, str]:
    """A code typed after the password (or to turn the factor off): the current TOTP code or
    one recovery code, which is used up. Returns the device that accepted it, or None and the
    reason in Vietnamese. Not in a caller's transaction on purpose: a failure must stay counted
    by the throttle."""
    token = typed_code(code)
    if not token:
        return None, _("Hãy nhập mã xác thực.")
    if token.isdigit() and len(token) <= 8:  # an app's code; recovery codes are letters too
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None, _("Mã xác thực không đúng.")
    allowed, why = device.verify_is_allowed()
    if not allowed:
        wait = max(1, int(((why or {}).get("locked_until", timezone.now())
                           - timezone.now()).total_seconds()) + 1)
        return None, _("Bạn đã nhập sai mã nhiều lần. Hãy chờ %(n)s giây rồi thử lại.") % {"n": wait}
    accepted = verify_token(user, device.persistent_id, token)
    if accepted is None:
        return None, _("Mã xác thực không đúng. Hãy nhập mã đang hiện trong ứng dụng, hoặc một "
                       "mã khôi phục.")
    if isinstance(accepted, StaticDevice):
        activity.record("mfa.recovery_used", actor=user, target=user,
                        after={"recovery_codes_left": accepted.token_set.count()})
    return accepted, ""
