"""Join applications (Art 23), withdrawal notices (Art 25), their event rows and the private documents.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.core.models import CaseEventBase
from members.core.storage import private_storage
from members.core.transitions import Machine

from .organisations import Membership, Organisation


def private_upload_to(instance: Document, filename: str) -> str:
    # The stored name never contains the uploader's file name.
    return f"documents/{instance.organisation_id}/{secrets.token_hex(16)}"


class Document(models.Model):
    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("营业执照")
        SEALED_PAGE = "sealed_page", _("加盖公章的签署页")
        WITHDRAWAL_LETTER = "withdrawal_letter", _("加盖公章的退出函")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="documents",
                                     verbose_name=_("单位"))
    application = models.ForeignKey("JoinApplication", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="documents", verbose_name=_("入约申请"))
    withdrawal = models.ForeignKey("WithdrawalNotice", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="documents", verbose_name=_("退出通知"))
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=private_upload_to, storage=private_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("检测类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    superseded = models.BooleanField(_("已被替换"), default=False)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @staticmethod
    def hash_bytes(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    RESUBMITTED = "resubmitted", _("已重新提交")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已拒绝")


# The allowed moves of a join application, checked in one place (members.core.transitions.move).
APPLICATION_TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {ApplicationState.DRAFT: ApplicationState.SUBMITTED},
    "start_review": {
        ApplicationState.SUBMITTED: ApplicationState.UNDER_REVIEW,
        ApplicationState.RESUBMITTED: ApplicationState.UNDER_REVIEW,
    },
    "return": {ApplicationState.UNDER_REVIEW: ApplicationState.RETURNED},
    "resubmit": {ApplicationState.RETURNED: ApplicationState.RESUBMITTED},
    "approve": {ApplicationState.UNDER_REVIEW: ApplicationState.APPROVED},
    "reject": {ApplicationState.UNDER_REVIEW: ApplicationState.REJECTED},
}
APPLICATION_OPEN_STATES = {
    ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW,
    ApplicationState.RETURNED, ApplicationState.RESUBMITTED,
}
APPLICATION_EDITABLE_STATES = {ApplicationState.DRAFT, ApplicationState.RETURNED}


class JoinApplication(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications",
                                     verbose_name=_("单位"))
    state = models.CharField(_("状态"), max_length=16, choices=ApplicationState.choices,
                             default=ApplicationState.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("申请人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    staff_comment = models.TextField(_("审核意见（申请人可见）"), blank=True)
    sealed_page_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("签署页核验人"),
    )
    sealed_page_verified_at = models.DateTimeField(_("签署页核验时间"), null=True, blank=True)
    membership = models.OneToOneField(Membership, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="application", verbose_name=_("成员资格期间"))

    class Meta:
        verbose_name = _("入约申请")
        verbose_name_plural = _("入约申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(state__in=["draft", "submitted", "under_review", "returned", "resubmitted"]),
                name="one_open_application_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.get_state_display()}"

    @property
    def is_editable(self) -> bool:
        return self.state in APPLICATION_EDITABLE_STATES

    @property
    def sealed_page_verified(self) -> bool:
        return self.sealed_page_verified_at is not None

    def current_document(self, kind: str) -> Document | None:
        return self.documents.filter(kind=kind, superseded=False).order_by("-id").first()


# What each move is called in a case's history (past events, hence their own context).
APPLICATION_ACTION_LABELS = {
    "create": pgettext_lazy("case history", "创建申请草稿"), "submit": pgettext_lazy("case history", "提交申请"),
    "start_review": pgettext_lazy("case history", "开始审核"), "return": pgettext_lazy("case history", "退回修改"),
    "resubmit": pgettext_lazy("case history", "重新提交"), "approve": pgettext_lazy("case history", "批准"),
    "reject": pgettext_lazy("case history", "不予批准"),
}
WITHDRAWAL_ACTION_LABELS = {
    "file": pgettext_lazy("case history", "提交退出通知"), "acknowledge": pgettext_lazy("case history", "确认退出"),
    "cancel": pgettext_lazy("case history", "撤回退出通知"),
}


class ApplicationEvent(CaseEventBase):
    states = ApplicationState
    action_labels = APPLICATION_ACTION_LABELS
    application = models.ForeignKey(JoinApplication, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEventBase.Meta):
        verbose_name = _("申请记录")
        verbose_name_plural = _("申请记录")


APPLICATION_MACHINE = Machine("application", APPLICATION_TRANSITIONS, ApplicationEvent, "application",
                              refused=_("申请当前为“%(state)s”，不能执行该操作。"))


class WithdrawalState(models.TextChoices):
    FILED = "filed", _("已提交")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    CANCELLED = "cancelled", _("已撤回")


WITHDRAWAL_TRANSITIONS: dict[str, dict[str, str]] = {
    "acknowledge": {WithdrawalState.FILED: WithdrawalState.ACKNOWLEDGED},
    "cancel": {WithdrawalState.FILED: WithdrawalState.CANCELLED},
}


class WithdrawalNotice(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="withdrawals",
                                     verbose_name=_("单位"))
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="withdrawals",
                                   verbose_name=_("成员资格期间"))
    state = models.CharField(_("状态"), max_length=16, choices=WithdrawalState.choices,
                             default=WithdrawalState.FILED, db_index=True)
    reason = models.TextField(_("退出理由（不公开）"), blank=True)
    requested_date = models.DateField(_("希望生效日期"), null=True, blank=True)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("提交人"))
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("确认人"))
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("退出通知")
        verbose_name_plural = _("退出通知")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["membership"], condition=Q(state="filed"),
                                    name="one_pending_withdrawal_per_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.get_state_display()}"


class WithdrawalEvent(CaseEventBase):
    states = WithdrawalState
    action_labels = WITHDRAWAL_ACTION_LABELS
    withdrawal = models.ForeignKey(WithdrawalNotice, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEventBase.Meta):
        verbose_name = _("退出记录")
        verbose_name_plural = _("退出记录")


WITHDRAWAL_MACHINE = Machine("withdrawal", WITHDRAWAL_TRANSITIONS, WithdrawalEvent, "withdrawal",
                             refused=_("退出通知当前为“%(state)s”，不能执行该操作。"))
