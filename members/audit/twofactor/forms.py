"""The staff login's forms, in the project's own words (Chinese first; English through the catalogue)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm, TOTPDeviceForm

OTP_MESSAGES = {
    "token_required": _("请输入动态验证码。"),
    "invalid_token": _("验证码不正确或已过期，请重新输入。"),
    "n_failed_attempts": _("验证失败次数过多，请稍等片刻再试。"),
    "verification_not_allowed": _("暂时不能验证，请稍后再试。"),
    "device_required": _("请选择验证设备。"),
    "challenge_exception": _("无法发送验证码：{0}"),
    "not_interactive": _("所选设备不能发送验证码。"),
    "challenge_message": _("验证：{0}"),
}


class EmailAuthenticationForm(AuthenticationForm):
    """Password step: staff sign in with their e-mail address (their account name is that address)."""

    username = forms.CharField(label=_("电子邮箱"), max_length=254, widget=forms.EmailInput(
        attrs={"autofocus": True, "autocomplete": "email"}))
    error_messages = {
        "invalid_login": _("电子邮箱或密码不正确。"),
        "inactive": _("该账户已停用。"),
    }


class TokenStepForm(AuthenticationTokenForm):
    otp_error_messages = {**AuthenticationTokenForm.otp_error_messages, **OTP_MESSAGES}

    # The wizard passes arguments by the names in this signature (two_factor inspects it).
    def __init__(self, user: Any, initial_device: Any, **kwargs: Any) -> None:
        super().__init__(user, initial_device, **kwargs)
        field = self.fields["otp_token"]
        field.label = _("动态验证码")
        field.error_messages = {**field.error_messages, "invalid": _("请输入身份验证器显示的 6 位数字。"),
                                "min_length": _("请输入身份验证器显示的 6 位数字。"),
                                "max_length": _("请输入身份验证器显示的 6 位数字。")}
        field.widget.attrs["inputmode"] = "numeric"


class BackupStepForm(BackupTokenForm):
    otp_error_messages = {**BackupTokenForm.otp_error_messages, **OTP_MESSAGES,
                          "invalid_token": _("备用码不正确或已用过。")}

    def __init__(self, user: Any, initial_device: Any, **kwargs: Any) -> None:
        super().__init__(user, initial_device, **kwargs)
        self.fields["otp_token"].label = _("备用码")


class DeviceForm(TOTPDeviceForm):
    """Setup step: the first device is the account's default; a later one gets a name of its own."""

    error_messages = {"invalid_token": _("验证码不正确或已过期，请重新输入。")}

    def __init__(self, key: str, user: Any, metadata: Any = None, **kwargs: Any) -> None:
        super().__init__(key, user, metadata=metadata, **kwargs)
        self.fields["token"].label = _("动态验证码")
        self.fields["token"].error_messages = {"invalid": _("请输入身份验证器显示的 6 位数字。"),
                                               "required": _("请输入动态验证码。"),
                                               "min_value": _("请输入身份验证器显示的 6 位数字。"),
                                               "max_value": _("请输入身份验证器显示的 6 位数字。")}

    def save(self) -> TOTPDevice:
        existing = TOTPDevice.objects.filter(user=self.user, confirmed=True).count()
        device = super().save()
        if existing:
            device.name = f"device-{existing + 1}"
            device.save(update_fields=["name"])
        return device
