from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as BasePasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hienmau import ratelimit
from hienmau.accounts import throttle
from hienmau.ui import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập hoặc e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập/e-mail hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
        "throttled": _(
            "Đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng thử lại sau %(minutes)s phút."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        ip = ratelimit.client_ip(self.request) if self.request else ""
        if throttle.is_locked(username, ip):
            from django.conf import settings

            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure(username, ip)
            raise
        throttle.record_success(username)
        return cleaned


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: Phần mềm quản lý của bệnh viện."),
    )


class PasswordChangeForm(StyledFormMixin, BasePasswordChangeForm):
    pass
