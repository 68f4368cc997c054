"""Art 24: amendment proposals, their sponsors, ballots, the frozen electorate and the votes cast.

Imported at the bottom of ``convention/models.py`` so that Django sees these models in the
``convention`` app. Only ``convention.amendments.services`` writes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.core.models import AppendOnlyModel, CaseEventBase
from members.core.transitions import Machine
from members.models import Organisation


class ProposalSource(models.TextChoices):
    EXECUTIVE = "executive", _("执行机构")
    MEMBERS = "members", _("签署成员")


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SPONSORING = "sponsoring", _("征集联署中")
    QUALIFIED = "qualified", _("已符合提议条件")
    BALLOTING = "balloting", _("表决中")
    ADOPTED = "adopted", _("已通过")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


# The allowed moves of a proposal, checked in one place (members.core.transitions, PROPOSAL_MACHINE).
PROPOSAL_TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {ProposalState.DRAFT: ProposalState.SPONSORING},
    # Executive-body proposals go straight from draft to qualified (the service checks the source).
    "qualify": {ProposalState.SPONSORING: ProposalState.QUALIFIED, ProposalState.DRAFT: ProposalState.QUALIFIED},
    "open_ballot": {ProposalState.QUALIFIED: ProposalState.BALLOTING},
    "adopt": {ProposalState.BALLOTING: ProposalState.ADOPTED},
    "reject": {ProposalState.BALLOTING: ProposalState.REJECTED},
    "withdraw": {
        ProposalState.DRAFT: ProposalState.WITHDRAWN,
        ProposalState.SPONSORING: ProposalState.WITHDRAWN,
        ProposalState.QUALIFIED: ProposalState.WITHDRAWN,
    },
}
PROPOSAL_PUBLIC_STATES = [s for s in ProposalState if s != ProposalState.DRAFT]


class Proposal(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    rationale = models.TextField(_("修订理由"))
    source = models.CharField(_("提出方"), max_length=16, choices=ProposalSource.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="amendment_proposals",
        verbose_name=_("提议单位"), help_text=_("由签署成员提出时填写"),
    )
    base_version = models.ForeignKey("convention.ConventionVersion", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("所依据的版本"))
    state = models.CharField(_("状态"), max_length=16, choices=ProposalState.choices, default=ProposalState.DRAFT,
                             db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Stored with the qualification so that anyone can check 10·s ≥ N later.
    qualified_at = models.DateTimeField(_("符合条件时间"), null=True, blank=True)
    qualified_sponsors = models.PositiveIntegerField(_("符合条件时联署单位数 s"), null=True, blank=True)
    qualified_signatories = models.PositiveIntegerField(_("符合条件时签署成员数 N"), null=True, blank=True)
    resulting_version = models.OneToOneField(
        "convention.ConventionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="proposal",
        verbose_name=_("产生的公约版本"),
    )

    class Meta:
        verbose_name = _("修订提议")
        verbose_name_plural = _("修订提议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="members") & Q(organisation__isnull=False))
                | (Q(source="executive") & Q(organisation__isnull=True)),
                name="proposal_member_source_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_member_proposal(self) -> bool:
        return self.source == ProposalSource.MEMBERS


class ProposalChange(models.Model):
    class Kind(models.TextChoices):
        AMEND = "amend", _("修改条文")
        ADD = "add", _("新增条款")
        REMOVE = "remove", _("删除条款")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="changes",
                                 verbose_name=_("修订提议"))
    kind = models.CharField(_("修改方式"), max_length=8, choices=Kind.choices)
    article_number = models.PositiveIntegerField(_("条号"))
    chapter_number = models.PositiveIntegerField(_("章号"), null=True, blank=True, help_text=_("新增条款时填写"))
    chapter_title = models.CharField(_("章标题"), max_length=100, blank=True, help_text=_("新增条款时填写"))
    new_text = models.TextField(_("新条文"), blank=True, help_text=_("段落之间以换行分隔；删除条款时留空"))

    class Meta:
        verbose_name = _("条款修改")
        verbose_name_plural = _("条款修改")
        ordering = ["article_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "article_number"], name="one_change_per_article"),
            models.CheckConstraint(condition=Q(kind="remove") | ~Q(new_text=""), name="change_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.article_number}"


class Sponsorship(models.Model):
    """An organisation co-signing a member proposal; withdrawn (not deleted) before qualification."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="sponsorships",
                                 verbose_name=_("修订提议"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sponsorships",
                                     verbose_name=_("联署单位"))
    sponsored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("联署人"))
    sponsored_at = models.DateTimeField(_("联署时间"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("撤回人"))

    class Meta:
        verbose_name = _("联署")
        verbose_name_plural = _("联署")
        ordering = ["sponsored_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "organisation"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_active_sponsorship_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} → {self.proposal_id}"


# What each move is called in a proposal's history (past events, hence their own context).
PROPOSAL_ACTION_LABELS = {
    "create": pgettext_lazy("case history", "起草"), "submit": pgettext_lazy("case history", "提交并征集联署"),
    "sponsor": pgettext_lazy("case history", "联署"), "withdraw_sponsorship": pgettext_lazy("case history", "撤回联署"),
    "qualify": pgettext_lazy("case history", "符合提议条件"), "open_ballot": pgettext_lazy("case history", "发起表决"),
    "adopt": pgettext_lazy("case history", "表决通过"), "reject": pgettext_lazy("case history", "表决未通过"),
    "withdraw": pgettext_lazy("case history", "撤回提议"),
}


class ProposalEvent(CaseEventBase):
    states = ProposalState
    action_labels = PROPOSAL_ACTION_LABELS
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")

    class Meta(CaseEventBase.Meta):
        verbose_name = _("修订提议记录")
        verbose_name_plural = _("修订提议记录")


PROPOSAL_MACHINE = Machine("proposal", PROPOSAL_TRANSITIONS, ProposalEvent, "proposal",
                           refused=_("修订提议当前状态为“%(state)s”，不能执行此操作。"))


class BallotState(models.TextChoices):
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("已结束")


class BallotOutcome(models.TextChoices):
    ADOPTED = "adopted", _("通过")
    REJECTED = "rejected", _("未通过")


# A ballot closes once, when its outcome is certain or at its deadline; the proposal's event records it.
BALLOT_TRANSITIONS: dict[str, dict[str, str]] = {"close": {BallotState.OPEN: BallotState.CLOSED}}
BALLOT_MACHINE = Machine("ballot", BALLOT_TRANSITIONS)


class CloseReason(models.TextChoices):
    CERTAIN = "certain", _("结果已确定，提前结束")
    DEADLINE = "deadline", _("表决截止")


class Ballot(models.Model):
    """A vote on one proposal. E and N are frozen at opening; the counts are derived from ``Vote`` rows."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="ballot",
                                    verbose_name=_("修订提议"))
    state = models.CharField(_("状态"), max_length=8, choices=BallotState.choices, default=BallotState.OPEN,
                             db_index=True)
    opened_at = models.DateTimeField(_("开始时间"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("发起人"))
    deadline = models.DateTimeField(_("截止时间"), db_index=True)
    effective_date = models.DateField(_("通过后生效日期"), null=True, blank=True,
                                      help_text=_("留空则自表决结果确定之日起生效"))
    electorate_size = models.PositiveIntegerField(_("表决成员数 N"))
    electorate_sha256 = models.CharField(_("表决成员名单 SHA-256"), max_length=64)
    yes_needed = models.PositiveIntegerField(_("通过所需同意票"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    close_reason = models.CharField(_("结束原因"), max_length=16, choices=CloseReason.choices, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=BallotOutcome.choices, blank=True)
    # Frozen at closing (counts at that moment, the record the public recomputes).
    yes_count = models.PositiveIntegerField(_("同意"), null=True, blank=True)
    no_count = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    abstain_count = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    lost_count = models.PositiveIntegerField(_("已无表决资格且未投票"), null=True, blank=True)
    # Yes votes whose voter's membership ended while the ballot was open: kept, not consent.
    lapsed_count = models.PositiveIntegerField(_("已失效的同意票"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gt=models.F("opened_at")), name="ballot_deadline_after_open"),
            models.CheckConstraint(
                condition=(Q(state="open") & Q(outcome="") & Q(closed_at__isnull=True))
                | (Q(state="closed") & ~Q(outcome="") & Q(closed_at__isnull=False)),
                name="ballot_outcome_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return str(self.proposal)

    @property
    def is_open(self) -> bool:
        return self.state == BallotState.OPEN


class ElectorateMember(AppendOnlyModel):
    """One member of E, frozen at opening (name and public code as they were then)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="electorate",
                               verbose_name=_("表决"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("单位"))
    public_uscc = models.CharField(_("统一社会信用代码（公开形式）"), max_length=18)
    name = models.CharField(_("单位名称"), max_length=200)

    class Meta:
        verbose_name = _("表决成员")
        verbose_name_plural = _("表决成员")
        ordering = ["public_uscc", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "organisation"], name="one_electorate_row_per_org")]

    def __str__(self) -> str:
        return self.name


class VoteChoice(models.TextChoices):
    YES = "yes", _("同意")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Vote(AppendOnlyModel):
    """One organisation's ballot paper: final once cast, never changed or deleted."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="votes", verbose_name=_("表决"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("单位"))
    choice = models.CharField(_("意见"), max_length=8, choices=VoteChoice.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("投票人"))
    cast_at = models.DateTimeField(_("投票时间"))

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["cast_at", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "organisation"], name="one_vote_per_org_per_ballot")]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.choice}"
