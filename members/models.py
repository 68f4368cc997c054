"""The register: organisations, their membership periods and the append-only event log.

Status columns on ``Organisation`` are a projection of ``MembershipEvent`` kept for fast lists; only
``members.services`` writes either, always both in one transaction, and
``selectors.registry_inconsistencies`` recomputes the projection from the events to prove they agree.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.core.i18n import list_separator
from members.core.models import AppendOnlyModel, AppendOnlyQuerySet, CaseEventBase
from members.core.storage import private_storage
from members.core.transitions import Machine

from . import uscc as uscc_rules
from .regions import REGIONS
from .sorting import MAX_LENGTH as MAX_SORT_KEY
from .sorting import name_sort_key


class Role(models.TextChoices):
    DEVELOPER = "developer", _("开发商")
    DISTRIBUTOR = "distributor", _("分发商")
    OPERATOR = "operator", _("运维商")
    OTHER = "other", _("其他服务提供者")


ROLE_ORDER = [r.value for r in Role]


def roles_to_text(roles: list[str] | tuple[str, ...] | set[str]) -> str:
    """Canonical storage form: known role codes in a fixed order, comma-separated."""
    unknown = set(roles) - set(ROLE_ORDER)
    if unknown:
        raise ValidationError(_("未知角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))})
    return ",".join(r for r in ROLE_ORDER if r in roles)


class MembershipStatus(models.TextChoices):
    NONE = "none", _("尚未签署")
    SIGNATORY = "signatory", _("现签署成员")
    WITHDRAWN = "withdrawn", _("已退出")
    REVOKED = "revoked", _("已取消成员资格")


class Organisation(models.Model):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    # Pinyin order of ``name`` (members.sorting); written by ``save`` so every path that names keeps it true.
    name_sort = models.CharField(_("名称排序键"), max_length=MAX_SORT_KEY, editable=False, default="")
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    roles = models.CharField(_("角色"), max_length=64, help_text=_("开发商、分发商、运维商、其他服务提供者，可多选"))
    region = models.CharField(_("所在省级行政区"), max_length=6, choices=REGIONS)
    website = models.URLField(_("网站"), blank=True)
    # Private (Art 8, PIPL): never on a public page, export, feed or API answer.
    contact_name = models.CharField(_("联系人"), max_length=100, blank=True)
    contact_phone = models.CharField(
        _("联系电话"), max_length=40, blank=True,
        validators=[RegexValidator(r"^\+?[0-9(][0-9 ()\-]{4,30}(\s*(转|ext\.?|x)\s*[0-9]{1,6})?$",
                                   _("请填写有效的电话号码，例如 010-12345678 或 13800000000。"))],
    )
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    uscc_check_waived = models.BooleanField(_("代码校验豁免"), default=False)
    uscc_waiver_reason = models.TextField(_("豁免理由"), blank=True)
    uscc_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("豁免人"),
    )
    # Projection of the event log (see module docstring).
    status = models.CharField(
        _("成员状态"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.NONE, db_index=True
    )
    joined_on = models.DateField(_("加入日期"), null=True, blank=True, db_index=True)
    left_on = models.DateField(_("退出/取消日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc_check_waived=False) | ~Q(uscc_waiver_reason=""), name="uscc_waiver_needs_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "joined_on"]), models.Index(fields=["region", "status"]),
                   # The public register filtered by status and sorted by name (keyset pages), see 0002.
                   models.Index(fields=["status", "name", "id"], name="org_status_name_id_idx"),
                   # Keyset pages of the register and API cursors in pinyin order, see 0004.
                   models.Index(fields=["status", "name_sort", "id"], name="org_status_namesort_id_idx"),
                   models.Index(fields=["name_sort", "id"], name="org_namesort_id_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.public_uscc}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_sort = name_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort"}
        super().save(*args, **kwargs)

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    def get_roles_display(self) -> str:
        labels = dict(Role.choices)
        return list_separator().join(str(labels[r]) for r in self.role_list if r in labels)

    @property
    def public_uscc(self) -> str:
        return uscc_rules.mask(self.uscc)

    @property
    def is_signatory(self) -> bool:
        return self.status == MembershipStatus.SIGNATORY

    def clean(self) -> None:
        self.uscc = uscc_rules.normalise(self.uscc)
        result = uscc_rules.check(self.uscc)
        if not result.valid and not self.uscc_check_waived:
            raise ValidationError({"uscc": list(result.errors)})
        if self.uscc_check_waived and not self.uscc_waiver_reason.strip():
            raise ValidationError({"uscc_waiver_reason": _("接受未通过校验的代码必须记录理由。")})


class Membership(models.Model):
    """One period of membership: from the approval day to withdrawal or revocation.

    ``ended_on`` may lie in the future (a withdrawal acknowledged for the date the member asked for):
    the period is then known to end, and the organisation stays a signatory until that day.
    """

    class EndKind(models.TextChoices):
        WITHDRAWN = "withdrawn", _("退出")
        REVOKED = "revoked", _("取消成员资格")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships",
                                     verbose_name=_("单位"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_kind = models.CharField(_("结束方式"), max_length=16, choices=EndKind.choices, blank=True)

    class Meta:
        verbose_name = _("成员资格期间")
        verbose_name_plural = _("成员资格期间")
        ordering = ["organisation_id", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(ended_on__isnull=True), name="one_open_membership_per_org"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_kind=""))
                | (Q(ended_on__isnull=False) & ~Q(end_kind="")),
                name="membership_end_kind_with_end",
            ),
        ]
        indexes = [models.Index(fields=["started_on", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.started_on} – {self.ended_on or '…'}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class MembershipEventQuerySet(AppendOnlyQuerySet):
    def in_force(self) -> MembershipEventQuerySet:
        """Events no later event supersedes: what status, periods and bulletins are derived from."""
        return self.filter(superseded_by__isnull=True)


class MembershipEvent(AppendOnlyModel):
    """What happened to a membership, with who, when, on what legal basis and why.

    A scheduled end that has not yet taken effect can be superseded by an earlier revocation (Art 21
    over Art 25): the revocation event names it in ``supersedes``; the withdrawal row stays as it was.
    """

    objects = MembershipEventQuerySet.as_manager()  # type: ignore[misc]  # the base's manager, with in_force()

    class Kind(models.TextChoices):
        JOINED = "joined", _("加入")
        WITHDREW = "withdrew", _("退出")
        REVOKED = "revoked", _("取消成员资格")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events",
                                     verbose_name=_("单位"))
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="events",
                                   verbose_name=_("成员资格期间"))
    kind = models.CharField(_("事件"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("生效日期"), db_index=True)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    legal_basis = models.CharField(_("依据条款"), max_length=64)
    reason = models.TextField(_("理由"), blank=True)  # free text, or the coded reason's default-language text
    reason_code = models.CharField(_("理由代码"), max_length=64, blank=True)
    reason_params = models.JSONField(_("理由参数"), default=dict, blank=True)
    document_sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    public_notice = models.TextField(
        _("向社会通报内容"), blank=True, help_text=_("取消成员资格并向社会通报时公开的事由")
    )
    # A start records who verified the sealed signature page (Art 23) and when; internal, never public.
    sealed_page_verified_at = models.DateTimeField(_("签署页核验时间"), null=True, blank=True)
    sealed_page_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("签署页核验人"),
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by",
        verbose_name=_("取代的事件"), help_text=_("本事件取代的、尚未生效的结束事件（如已安排的退出）"),
    )

    class Meta:
        verbose_name = _("成员资格事件")
        verbose_name_plural = _("成员资格事件")
        ordering = ["effective_date", "id"]
        indexes = [models.Index(fields=["organisation", "effective_date", "id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"

    @property
    def reason_text(self) -> str:
        from members.core.texts import shown

        return shown(self.reason_code, self.reason_params, self.reason)


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


class Representative(models.Model):
    """An account acting for one organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representative",
                                verbose_name=_("账户"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="representatives",
                                     verbose_name=_("单位"))
    is_primary = models.BooleanField(_("首位代表"), default=False)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位代表")
        verbose_name_plural = _("单位代表")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation.name}"


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations",
                                     verbose_name=_("单位"))
    email = models.EmailField(_("邮箱"))
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    # Set once the mail server accepted the invitation e-mail; the outbox sweep re-sends the others.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("同事邀请")
        verbose_name_plural = _("同事邀请")

    def __str__(self) -> str:
        return self.email


class Notification(models.Model):
    """A message to an organisation's representatives: listed in the portal and e-mailed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notifications",
                                     verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=48)
    # The texts as written in the default language; with a code, each reader sees them in their own
    # language (members.core.texts). Without one (free text, or rows older than codes) they are shown as is.
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    subject_code = models.CharField(_("标题代码"), max_length=64, blank=True)
    body_code = models.CharField(_("内容代码"), max_length=64, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    # The worker currently sending the e-mail (members.tasks.notification_email): set by a conditional
    # update, so only one worker sends at a time; a claim never confirmed goes stale and is taken over.
    send_claim = models.CharField(max_length=32, blank=True, editable=False)
    send_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject_text

    @property
    def subject_text(self) -> str:
        from members.core.texts import shown

        return shown(self.subject_code, self.params, self.subject)

    @property
    def body_text(self) -> str:
        from members.core.texts import shown

        return shown(self.body_code, self.params, self.body)


class Feedback(models.Model):
    """Art 15: what members tell the executive body to improve."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="feedback",
                                     verbose_name=_("单位"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("提交人"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


from .accounts.models import AccountPreference  # noqa: E402,F401 - each account's language (issue 13)
from .details.models import OrganisationDetails  # noqa: E402,F401  (registers the model in this app)
from .public.identity import SiteIdentity  # noqa: E402,F401 - the footer's one-row model (issue 13)
