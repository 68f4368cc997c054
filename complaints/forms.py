"""Forms of the public report page, the portal and the officers' case page."""

from __future__ import annotations

from typing import Any

from altcha_django import AltchaField
from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from convention.text.selectors import current_version
from members import uscc as uscc_rules
from members.core.i18n import interpolate_lazy
from members.models import Organisation
from members.selectors import current_signatories

from .models import AppKind
from .services import MAX_EVIDENCE_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _article_choices() -> list[tuple[str, Any]]:
    version = current_version()
    choices: list[tuple[str, Any]] = [("", _("（不确定）"))]
    if version is not None:
        choices += [(str(a.number), f"{a.label} {a.text[:24]}…") for a in version.articles.all()]
    return choices


def signatory_lookup(text: str) -> Organisation | None:
    """A current signatory by exact name or by USCC (normalised)."""
    text = (text or "").strip()
    if not text:
        return None
    code = uscc_rules.normalise(text)
    return current_signatories().filter(Q(uscc=code) | Q(name=text)).order_by("pk").first()


CAPTCHA_MISSING = _("人机验证尚未完成：请勾选“我不是机器人”，显示“已验证”后再提交。您填写的内容已保留。")
CAPTCHA_FAILED = _("人机验证未通过或已过期：请重新勾选“我不是机器人”，显示“已验证”后再提交。您填写的内容已保留。")
WIDGET_LANGUAGES = {"zh-hans": "zh-cn", "en": "en"}


class ReportForm(forms.Form):
    member = forms.CharField(
        label=_("被举报成员"), max_length=200,
        help_text=_("填写现签署成员的单位全称或统一社会信用代码"),
        widget=forms.TextInput(attrs={"list": "signatory-names", "autocomplete": "off"}),
    )
    app_name = forms.CharField(label=_("涉及的应用名称"), max_length=200, required=False)
    app_kind = forms.ChoiceField(label=_("应用形态"), required=False,
                                 choices=[("", _("（未涉及具体应用）")), *AppKind.choices])
    description = forms.CharField(label=_("发生了什么"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    article_number = forms.TypedChoiceField(label=_("涉嫌违反的公约条款（可选）"), required=False, coerce=int,
                                            empty_value=None)
    evidence = MultipleFileField(
        label=_("证据材料（可选）"), required=False,
        help_text=interpolate_lazy(_("图片（JPG、PNG）或 PDF，最多 %(n)s 个文件；文件中的元数据会被清除。"),
                                   {"n": MAX_EVIDENCE_FILES}),
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"}),
    )
    reporter_name = forms.CharField(label=_("您的姓名（可选）"), max_length=100, required=False)
    reporter_email = forms.EmailField(label=_("您的邮箱（可选）"), required=False)
    reporter_phone = forms.CharField(label=_("您的电话（可选）"), max_length=40, required=False,
                                     help_text=_("可匿名举报。联系方式只有投诉处理专员可见，不会告知被举报单位。"))
    # A proof-of-work challenge solved by the browser (ALTCHA, served from this site, no third party):
    # nothing to read or type, so it works for screen-reader and keyboard users alike.
    # A proof-of-work challenge the browser solves by itself (ALTCHA, served from this site, no third
    # party): nothing to read or type, so it works with a screen reader and the keyboard alike.
    captcha = AltchaField(
        label=_("人机验证"),
        help_text=_("打开页面后会自动完成人机验证，显示“已验证”即可提交；如未自动完成，请勾选“我不是机器人”。"),
        auto="onload", configuration={"hideFooter": True, "hideLogo": True},
        error_messages=dict.fromkeys(("invalid_solution", "expired", "replayed", "unverified", "malformed", "invalid_signature"), CAPTCHA_FAILED)
        | {"required": CAPTCHA_MISSING},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article_number"].choices = _article_choices()  # type: ignore[attr-defined]
        self.fields["captcha"].widget.language = WIDGET_LANGUAGES.get(get_language() or "", "zh-cn")  # type: ignore[attr-defined]

    def clean_member(self) -> Organisation:
        org = signatory_lookup(self.cleaned_data["member"])
        if org is None:
            raise forms.ValidationError(_("未找到该现签署成员，请核对单位全称或统一社会信用代码。"))
        return org


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"}))


class CorrectionAnswerForm(forms.Form):
    report = forms.CharField(label=_("整改报告"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class DisputeRequestForm(forms.Form):
    respondent = forms.ModelChoiceField(label=_("对方单位"), queryset=Organisation.objects.none())
    subject = forms.CharField(label=_("争议事项"), max_length=200)
    description = forms.CharField(label=_("争议情况"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)

    def __init__(self, *args: Any, requester: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["respondent"].queryset = (  # type: ignore[attr-defined]
            current_signatories().exclude(pk=requester.pk).order_by("name")
        )


class TextForm(forms.Form):
    """One free-text field, used by the officers' case page for each action."""

    text = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CorrectionIssueForm(forms.Form):
    requirement = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))


class InternalNoticeForm(forms.Form):
    title = forms.CharField(label=_("通报标题"), max_length=200)
    body = forms.CharField(label=_("通报内容"), widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("取消理由（内部）"), widget=forms.Textarea(attrs={"rows": 3}))
    public_notice = forms.CharField(label=_("向社会通报的内容"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("承办人"), queryset=None, required=False)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = get_user_model().objects.filter(  # type: ignore[attr-defined]
            is_staff=True, is_active=True).order_by("username")
