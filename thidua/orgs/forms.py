from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Sign-in with Vietnamese messages that do not reveal whether the user name exists."""

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sau 5 lần nhập sai, tài khoản "
            "sẽ bị tạm khóa 15 phút."
        ),
        "inactive": _("Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ quản trị hệ thống."),
    }

    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    """The code after the password: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Mã xác thực"), max_length=32,
        help_text=_("Sáu chữ số đang hiện trong ứng dụng xác thực, hoặc một mã khôi phục."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Mã trong ứng dụng"), max_length=16,
        help_text=_("Sáu chữ số ứng dụng hiện ra sau khi quét mã QR."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))


class DisableForm(PasswordForm):
    code = forms.CharField(
        label=_("Mã xác thực"), max_length=32,
        help_text=_("Mã đang hiện trong ứng dụng, hoặc một mã khôi phục."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
