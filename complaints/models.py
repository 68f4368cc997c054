"""Reports of violations (Art 21), their verification and measures, and mediation (Art 22).

Each case kind has an explicit table of allowed moves here; ``complaints.services`` moves a case only
through the one transition mechanism (``members.core.transitions``), which checks the table, the
policy and appends the event row. Reporters' identities never leave this app's officer-only surfaces
(admin with ``view_reporter_contact``).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.core.models import CaseEventBase
from members.core.storage import private_storage
from members.core.transitions import Machine
from members.models import MembershipEvent, Organisation

# --- Tracking codes ---------------------------------------------------------------------------------

# 16 random bytes (128 bits) in Crockford-free RFC 4648 base32: 26 characters, shown in groups of four.
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def tracking_code_new() -> str:
    value = int.from_bytes(secrets.token_bytes(16), "big")
    chars = []
    for _i in range(26):
        value, rem = divmod(value, 32)
        chars.append(_B32[rem])
    return "".join(chars)


_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def tracking_code_normalise(raw: str) -> str:
    """Upper-case, drop separators and spaces, read 0/1/8 (not in the alphabet) as O/I/B."""
    return "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum()).translate(_LOOKALIKES)


def tracking_code_display(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def tracking_code_hash(raw: str) -> str:
    """Only this hash is stored; a lookup by it compares 256-bit digests of a 128-bit secret."""
    return hashlib.sha256(f"complaint-tracking:{tracking_code_normalise(raw)}".encode()).hexdigest()


# --- Event labels ---------------------------------------------------------------------------------------

ACTION_LABELS: dict[str, Any] = {
    "file": _("收到举报"), "start_verification": _("开始查证核实"), "close_unfounded": _("查证不属实，结案"),
    "substantiate": _("查证属实"), "assign": _("指派承办人"), "note": _("内部备注"),
    "correction_order": _("下达整改通知"), "correction_answered": _("单位提交整改报告"),
    "correction_accepted": _("认可整改"), "correction_escalated": _("整改升级处理"),
    "correction_overdue": _("整改逾期"), "internal_notice": _("内部通报"),
    "revoke_membership": _("取消成员资格并向社会通报"), "reporter_purged": _("举报人信息已按期删除"),
    "issue": _("下达"), "answer": _("提交整改报告"), "accept": _("认可整改"), "escalate": _("升级处理"),
    "flag_overdue": _("逾期"), "request": _("申请调解"), "start_mediation": _("开始调解"), "step": _("调解经过"),
    "settle": _("调解成功"), "not_settle": _("调解不成"), "withdraw": _("撤回"),
}


class LabelledEvent:
    """Named among the bases in migration 0001; the labels now live on ``CaseEventBase``."""


# --- Complaints ---------------------------------------------------------------------------------------

class AppKind(models.TextChoices):
    CLIENT = "client", _("移动客户端")
    MINI_PROGRAM = "mini_program", _("小程序")
    QUICK_APP = "quick_app", _("快应用")


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("已受理")
    UNDER_VERIFICATION = "under_verification", _("查证核实中")
    UNFOUNDED = "unfounded", _("查证不属实（已结案）")
    SUBSTANTIATED = "substantiated", _("查证属实")


# action -> {from state: to state}. Checked only in members.core.transitions (COMPLAINT_MACHINE).
COMPLAINT_TRANSITIONS: dict[str, dict[str, str]] = {
    "start_verification": {ComplaintState.RECEIVED: ComplaintState.UNDER_VERIFICATION},
    "close_unfounded": {ComplaintState.UNDER_VERIFICATION: ComplaintState.UNFOUNDED},
    "substantiate": {ComplaintState.UNDER_VERIFICATION: ComplaintState.SUBSTANTIATED},
}
COMPLAINT_CLOSED_STATES = {ComplaintState.UNFOUNDED, ComplaintState.SUBSTANTIATED}


class Complaint(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="complaints",
                                     verbose_name=_("被举报单位"))
    app_name = models.CharField(_("涉及的应用名称"), max_length=200, blank=True)
    app_kind = models.CharField(_("应用形态"), max_length=16, choices=AppKind.choices, blank=True)
    description = models.TextField(_("举报内容"))
    article_number = models.PositiveIntegerField(_("涉嫌违反的条款"), null=True, blank=True)
    # Reporter (optional, private: officers with view_reporter_contact only; purged after retention).
    reporter_name = models.CharField(_("举报人姓名"), max_length=100, blank=True)
    reporter_email = models.EmailField(_("举报人邮箱"), blank=True)
    reporter_phone = models.CharField(_("举报人电话"), max_length=40, blank=True)
    reporter_purged_at = models.DateTimeField(_("举报人信息删除时间"), null=True, blank=True)
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("状态"), max_length=24, choices=ComplaintState.choices,
                             default=ComplaintState.RECEIVED, db_index=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("承办人"))
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    decided_at = models.DateTimeField(_("结论时间"), null=True, blank=True, db_index=True)
    decision = models.TextField(_("查证结论（举报人可见）"), blank=True)
    revocation_event = models.OneToOneField(MembershipEvent, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="complaint", verbose_name=_("取消成员资格事件"))

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-id"]
        permissions = [("view_reporter_contact", _("可查看举报人联系方式"))]

    def __str__(self) -> str:
        # Never the reporter: this string reaches logs and admin breadcrumbs.
        return str(_("举报 #%(id)s") % {"id": self.pk})

    @property
    def has_reporter_contact(self) -> bool:
        return bool(self.reporter_name or self.reporter_email or self.reporter_phone)

    @property
    def article_label(self) -> str:
        from convention.text.parse import article_label

        return article_label(self.article_number) if self.article_number else ""


class ComplaintEvent(CaseEventBase):
    """The append-only history of a case: moves, assignments, internal notes and measures."""

    states = ComplaintState
    action_labels = ACTION_LABELS
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    to_state = models.CharField(_("新状态"), max_length=24)
    from_state = models.CharField(_("原状态"), max_length=24, blank=True)

    class Meta(CaseEventBase.Meta):
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")


COMPLAINT_MACHINE = Machine("complaint", COMPLAINT_TRANSITIONS, ComplaintEvent, "complaint")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.complaint_id}/{secrets.token_hex(16)}"


def _private_storage() -> Any:
    """The register's private storage, which follows STORAGES["private"] at every call."""
    return private_storage


class Evidence(models.Model):
    """A checked, metadata-stripped evidence file in private storage."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="evidence",
                                  verbose_name=_("举报"))
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, storage=_private_storage, max_length=200)
    content_type = models.CharField(_("检测类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.content_type} {self.size}"


# --- Measures -----------------------------------------------------------------------------------------

class CorrectionState(models.TextChoices):
    ISSUED = "issued", _("待整改")
    ANSWERED = "answered", _("已提交整改报告")
    ACCEPTED = "accepted", _("整改已认可")
    ESCALATED = "escalated", _("已升级处理")


CORRECTION_TRANSITIONS: dict[str, dict[str, str]] = {
    "answer": {CorrectionState.ISSUED: CorrectionState.ANSWERED},
    "accept": {CorrectionState.ANSWERED: CorrectionState.ACCEPTED},
    "escalate": {CorrectionState.ISSUED: CorrectionState.ESCALATED, CorrectionState.ANSWERED: CorrectionState.ESCALATED},
}


class CorrectionOrder(models.Model):
    """要求及时改正: private to the company, with a deadline and the company's correction report."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="corrections",
                                  verbose_name=_("举报"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="correction_orders",
                                     verbose_name=_("单位"))
    requirement = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"), db_index=True)
    state = models.CharField(_("状态"), max_length=16, choices=CorrectionState.choices,
                             default=CorrectionState.ISSUED, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("下达人"))
    issued_at = models.DateTimeField(_("下达时间"))
    response = models.TextField(_("整改报告"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("报告提交人"))
    answered_at = models.DateTimeField(_("报告提交时间"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return str(_("整改通知 #%(id)s") % {"id": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.overdue_flagged_at is not None and self.state == CorrectionState.ISSUED


class CorrectionEvent(CaseEventBase):
    states = CorrectionState
    action_labels = ACTION_LABELS
    order = models.ForeignKey(CorrectionOrder, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEventBase.Meta):
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")


CORRECTION_MACHINE = Machine("correction", CORRECTION_TRANSITIONS, CorrectionEvent, "order")


class InternalNotice(models.Model):
    """内部通报: shown to every member company in the portal, never to the public."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="internal_notices",
                                  verbose_name=_("举报"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="internal_notices",
                                     verbose_name=_("被通报单位"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("通报内容"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), db_index=True)

    class Meta:
        verbose_name = _("内部通报")
        verbose_name_plural = _("内部通报")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


# --- Disputes (Art 22) ----------------------------------------------------------------------------------

class DisputeState(models.TextChoices):
    REQUESTED = "requested", _("已申请调解")
    IN_MEDIATION = "in_mediation", _("调解中")
    SETTLED = "settled", _("调解成功")
    NOT_SETTLED = "not_settled", _("调解不成")
    WITHDRAWN = "withdrawn", _("已撤回")


DISPUTE_TRANSITIONS: dict[str, dict[str, str]] = {
    "start_mediation": {DisputeState.REQUESTED: DisputeState.IN_MEDIATION},
    "settle": {DisputeState.IN_MEDIATION: DisputeState.SETTLED},
    "not_settle": {DisputeState.IN_MEDIATION: DisputeState.NOT_SETTLED},
    "withdraw": {DisputeState.REQUESTED: DisputeState.WITHDRAWN, DisputeState.IN_MEDIATION: DisputeState.WITHDRAWN},
}
DISPUTE_OPEN_STATES = {DisputeState.REQUESTED, DisputeState.IN_MEDIATION}


class Dispute(models.Model):
    requester = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="disputes_requested",
                                  verbose_name=_("申请方"))
    respondent = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="disputes_received",
                                   verbose_name=_("被申请方"))
    subject = models.CharField(_("争议事项"), max_length=200)
    description = models.TextField(_("争议情况"))
    state = models.CharField(_("状态"), max_length=16, choices=DisputeState.choices,
                             default=DisputeState.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), db_index=True)
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("调解人"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.TextField(_("调解结果"), blank=True)

    class Meta:
        verbose_name = _("争议调解")
        verbose_name_plural = _("争议调解")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("respondent")), name="dispute_two_parties"),
        ]

    def __str__(self) -> str:
        return str(_("调解 #%(id)s") % {"id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state in DISPUTE_OPEN_STATES


class DisputeEvent(CaseEventBase):
    """Moves and mediation steps (action "step"); both parties see them in the portal."""

    states = DisputeState
    action_labels = ACTION_LABELS
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEventBase.Meta):
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")


DISPUTE_MACHINE = Machine("dispute", DISPUTE_TRANSITIONS, DisputeEvent, "dispute")
