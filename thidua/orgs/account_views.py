"""The account page and the second factor's pages: the code after the password, turning it on
(QR code and secret, a first code, ten recovery codes shown once), new recovery codes, turning
it off, and the password-reset form with its budget (``orgs.signin``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from thidua.core.feedback import perform
from thidua.orgs import forms, mfa

# The recovery codes just made, kept in the session only until the page that shows them once.
FRESH_CODES = "mfa_fresh_codes"


def _next(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@login_required
def account(request):
    """Tài khoản của tôi."""
    user = request.user
    context = {
        "enrolled": mfa.enrolled(user),
        "required": mfa.required(user),
        "codes_left": mfa.recovery_codes_left(user),
        "renew_form": forms.PasswordForm(),
        "disable_form": forms.DisableForm(),
    }
    return render(request, "registration/account.html", context)


@login_required
def verify(request):
    """Xác thực hai bước: the code after the password (or a recovery code)."""
    user = request.user
    if user.is_verified() or not mfa.enrolled(user):
        return redirect(_next(request))
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, problem = mfa.check_code(user, form.cleaned_data["code"])
        if device is not None:
            # A new session key for the verified session: one seen before the code is worthless.
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(request, _(
                    "Bạn vừa dùng một mã khôi phục; mỗi mã chỉ dùng được một lần. Còn %(n)s mã. "
                    "Hãy tạo lại mã khôi phục ở trang Tài khoản nếu còn ít.")
                    % {"n": mfa.recovery_codes_left(user)})
            return redirect(_next(request))
        form.add_error("code", problem)
    return render(request, "registration/mfa_verify.html",
                  {"form": form, "next": _next(request, "")})


@login_required
def enrol(request):
    """Bật xác thực hai bước: scan, confirm with a first code, then the recovery codes."""
    user = request.user
    if mfa.enrolled(user):
        return redirect("account" if user.is_verified() else "mfa-verify")
    device = mfa.pending_device(user)
    form = forms.EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = perform(request, mfa.confirm_enrolment, user, form.cleaned_data["code"], by=user,
                       success=_("Đã bật xác thực hai bước."))
        if done:
            confirmed, codes = done.value
            request.session.cycle_key()
            otp_login(request, confirmed)
            request.session[FRESH_CODES] = codes
            request.session["mfa_next"] = _next(request, "")
            return redirect("mfa-codes")
    return render(request, "registration/mfa_enrol.html", {
        "form": form, "device": device, "secret": mfa.secret(device), "qr": mfa.qr_svg(device),
        "required": mfa.required(user), "next": _next(request, ""),
    })


@login_required
def recovery_codes(request):
    """The recovery codes, once: the session forgets them as this page is shown."""
    codes = request.session.pop(FRESH_CODES, None)
    if not codes:
        return redirect("account")
    return render(request, "registration/mfa_codes.html", {
        "codes": codes, "next": request.session.pop("mfa_next", "") or ""})


@require_POST
@login_required
def renew_codes(request):
    form = forms.PasswordForm(request.POST)
    if form.is_valid():
        done = perform(request, mfa.renew_recovery_codes, request.user,
                       password=form.cleaned_data["password"], by=request.user,
                       success=_("Đã tạo mười mã khôi phục mới; các mã cũ không còn dùng được."))
        if done:
            request.session[FRESH_CODES] = done.value
            return redirect("mfa-codes")
    return redirect("account")


@require_POST
@login_required
def disable(request):
    form = forms.DisableForm(request.POST)
    if form.is_valid():
        perform(request, mfa.disable, request.user, password=form.cleaned_data["password"],
                code=form.cleaned_data["code"], by=request.user,
                success=_("Đã tắt xác thực hai bước."))
    else:
        messages.error(request, _("Hãy nhập mật khẩu và mã xác thực."))
    return redirect("account")
