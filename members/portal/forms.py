"""Portal forms. Domain rules stay in the services; forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from members import services
from members.core.documents import check_document
from members.core.errors import DomainError
from members.models import Document, Organisation, Role
from members.regions import REGIONS

FILE_HELP = _("PDF、JPG 或 PNG，不超过10MB")


class OrganisationForm(forms.ModelForm):
    """The whole application in one form: the organisation's details and both required files, one save.

    Files are checked here with the same function the upload service uses, so that a bad file is refused
    next to its field before anything is written; the service checks them again when it stores them.
    """

    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple,
                                      help_text=_("可多选"))
    region = forms.ChoiceField(label=_("所在省级行政区"), choices=[("", "---------"), *REGIONS])
    business_licence = forms.FileField(
        label=Document.Kind.BUSINESS_LICENCE.label, required=False, help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    sealed_page = forms.FileField(
        label=Document.Kind.SEALED_PAGE.label, required=False,
        help_text=_("下载预填的签署页，打印、签字并加盖公章后扫描上传。PDF、JPG 或 PNG，不超过10MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    class Meta:
        model = Organisation
        fields = ["name", "name_en", "roles", "region", "website", "contact_name", "contact_phone", "contact_email"]

    def __init__(self, *args: Any, current: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = self.instance.role_list
        for name in ("contact_name", "contact_phone", "contact_email"):
            self.fields[name].required = True
            self.fields[name].help_text = _("仅执行机构可见，不公开")
        for kind, doc in (current or {}).items():
            if doc is not None:  # say what is there already: choosing a file replaces it
                self.fields[kind].help_text = _("已上传：%(name)s。选择新文件将替换它。") % {"name": doc.original_name}

    def data_for_service(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in services.ORG_FIELDS}

    def files_for_service(self) -> dict[str, Any]:
        return {kind: self.cleaned_data[kind] for kind in DOCUMENT_FIELDS if self.cleaned_data.get(kind)}

    def _clean_document(self, kind: str) -> Any:
        upload = self.cleaned_data.get(kind)
        if upload:
            try:
                check_document(upload, field=kind)
            except DomainError as exc:
                raise forms.ValidationError(str(exc.message), code=exc.code) from exc
            upload.seek(0)
        return upload

    def clean_business_licence(self) -> Any:
        return self._clean_document(Document.Kind.BUSINESS_LICENCE)

    def clean_sealed_page(self) -> Any:
        return self._clean_document(Document.Kind.SEALED_PAGE)

    def _post_clean(self) -> None:
        # Model validation happens in the service (one place for the rules).
        pass


DOCUMENT_FIELDS = (Document.Kind.BUSINESS_LICENCE.value, Document.Kind.SEALED_PAGE.value)


class ApplicationForm(OrganisationForm):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40,
                           help_text=_("18位，见营业执照。全角字符、空格和连字符会自动处理。"))

    field_order = ["uscc", "name", "name_en", "roles", "region", "website", "contact_name", "contact_phone",
                   "contact_email", "business_licence", "sealed_page"]

    def clean_uscc(self) -> str:
        try:
            return services.organisation_validate_uscc(self.cleaned_data["uscc"])
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from exc


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label=_("退出理由（不公开，可不填）"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    requested_date = forms.DateField(label=_("希望生效日期（可不填）"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     help_text=_("退出自执行机构确认的日期起生效"))


class WithdrawalConfirmForm(WithdrawalForm):
    letter = forms.FileField(label=_("加盖公章的退出函（可选）"), required=False,
                             help_text=_("PDF、JPG 或 PNG，不超过10MB"))
    confirm = forms.BooleanField(label=_("我确认代表本单位提交退出通知"), required=True)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("同事的邮箱"))


class FeedbackForm(forms.Form):
    subject = forms.CharField(label=_("主题"), max_length=200)
    body = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
