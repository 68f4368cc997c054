"""Membership periods and how they end: start, revocation (Art 21), withdrawal notices (Art 25).

Every effective date is on or after the act that causes it (DESIGN.md "Effective dates").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, DomainError
from members.core.i18n import interpolate_lazy
from members.core.policy import Actor, authorize
from members.core.texts import Text, reason_fields, text
from members.core.transitions import move, record, record_creation
from members.public.selectors import forget_register_stamp
from members.transparency.services import log_append

from ..details.services import details_record
from ..models import (
    WITHDRAWAL_MACHINE,
    Document,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Organisation,
    WithdrawalNotice,
    WithdrawalState,
)
from .constants import ART_JOIN, ART_REVOKE, ART_WITHDRAW
from .documents import document_upload
from .locks import lock_org
from .notifications import notify

# --- Memberships ------------------------------------------------------------------------------------

def _check_not_before(effective_date: date, act_day: date, message: Any, code: str) -> None:
    """An event never takes effect before the act that causes it (DESIGN "Effective dates")."""
    if effective_date < act_day:
        raise DomainError(interpolate_lazy(message, {"date": act_day.isoformat(),
                                                     "effective": effective_date.isoformat()}),
                          code=code, field="effective_date")


def membership_start(actor: Actor, org: Organisation, *, effective_date: date, reason: str | Text = "",
                     legal_basis: str = ART_JOIN, document_sha256: str = "", sealed_page_verified_at: Any = None,
                     sealed_page_verified_by: Any = None) -> Membership:
    """Open a membership period today, the approval day. Call inside a transaction (it locks the row).

    The first details version (or a new one, if the record changed since the last period) starts
    with the period, so that every later view of this day shows the details it had.
    """
    authorize(actor, "membership.start", org)
    with transaction.atomic():
        org = lock_org(org)
        if org.status == MembershipStatus.SIGNATORY:
            raise Conflict(_("该单位已是签署成员。"), code="already_signatory")
        today = clock.today()
        _check_not_before(effective_date, today, _("成员资格自执行机构批准之日起开始，不能早于今天（%(date)s）。"),
                          "start_backdated")
        if effective_date > today:
            raise DomainError(_("成员资格自执行机构批准之日起开始，不能晚于今天。"), code="future_date",
                              field="effective_date")
        if org.left_on and effective_date < org.left_on:
            raise DomainError(_("新的成员资格不能早于上一期结束日期。"), code="overlapping_period",
                              field="effective_date")
        try:
            with transaction.atomic():
                membership = Membership.objects.create(organisation=org, started_on=effective_date)
        except IntegrityError as exc:
            raise Conflict(_("该单位已有进行中的成员资格。"), code="already_signatory") from exc
        event = MembershipEvent.objects.create(
            organisation=org, membership=membership, kind=MembershipEvent.Kind.JOINED,
            effective_date=effective_date, recorded_at=clock.now(), actor=actor.record_user, legal_basis=legal_basis,
            **reason_fields(reason), document_sha256=document_sha256, sealed_page_verified_at=sealed_page_verified_at,
            sealed_page_verified_by=sealed_page_verified_by,
        )
        # The details version first: the public log entry of the event reads the details of its date.
        # Recorded at the event's own moment: the entry states the details known when it was written.
        details_record(org, valid_from=effective_date, actor=actor.record_user, reason=text("membership.started"),
                       recorded_at=event.recorded_at)
        log_append("membership_event", event)
        Organisation.objects.filter(pk=org.pk).update(
            status=MembershipStatus.SIGNATORY, joined_on=effective_date, left_on=None, updated_at=clock.now()
        )
        forget_register_stamp()  # update() sends no signal
    return membership


def projection_refresh(org: Organisation) -> bool:
    from ..history import projection_refresh as refresh

    return refresh(org)


def _membership_end(actor: Actor, org: Organisation, *, kind: str, effective_date: date, reason: str | Text,
                    legal_basis: str, document_sha256: str = "", public_notice: str = "") -> MembershipEvent:
    """End the open period on ``effective_date`` (today or later). Hold no lock; this takes the row's.

    Dated today, the end takes effect at once (projection and ``membership_ended`` in this transaction);
    dated later, the event and the period's end are recorded now and ``history.memberships_apply_due``
    applies the projection on the day. A revocation may overtake a withdrawal scheduled for a later
    day (``_scheduled_end_superseded``); any other end over a scheduled one is refused.
    """
    org = lock_org(org)
    membership = org.memberships.select_for_update(no_key=True).filter(ended_on__isnull=True).first()
    supersedes = None
    if membership is None:
        membership, supersedes = _scheduled_end_superseded(org, kind, effective_date)
    if effective_date < membership.started_on:
        raise DomainError(_("结束日期不能早于成员资格开始日期 %(date)s。") % {"date": membership.started_on},
                          code="end_before_start", field="effective_date")
    end_kind = Membership.EndKind.WITHDRAWN if kind == MembershipEvent.Kind.WITHDREW else Membership.EndKind.REVOKED
    membership.ended_on = effective_date
    membership.end_kind = end_kind
    membership.save(update_fields=["ended_on", "end_kind"])
    event = MembershipEvent.objects.create(
        organisation=org, membership=membership, kind=kind, effective_date=effective_date,
        recorded_at=clock.now(), actor=actor.record_user, legal_basis=legal_basis, **reason_fields(reason),
        document_sha256=document_sha256, public_notice=public_notice, supersedes=supersedes,
    )
    log_append("membership_event", event)
    projection_refresh(org)  # a no-op for a later date: the job applies it on the day
    return event


def _scheduled_end_superseded(org: Organisation, kind: str,
                              effective_date: date) -> tuple[Membership, MembershipEvent]:
    """The period whose scheduled withdrawal a revocation overtakes, and that withdrawal's event.

    Art 21 (revocation, a sanction) and Art 25 (withdrawal on notice) both end a membership; a member
    whose withdrawal is acknowledged for a later day is still a signatory until then and may still be
    revoked. The revocation then ends the period first: it must take effect before the scheduled day
    (on or after it the membership has already ended by withdrawal, and there is nothing to revoke).
    The withdrawal's event stays in the record, superseded by the revocation's event, which names it.
    """
    today = clock.today()
    scheduled = (org.memberships.select_for_update(no_key=True).filter(ended_on__gt=today)
                 .order_by("-started_on").first())
    if scheduled is None or scheduled.ended_on is None:
        raise Conflict(_("该单位当前不是签署成员。"), code="not_signatory")
    ends_on = scheduled.ended_on.isoformat()
    if kind != MembershipEvent.Kind.REVOKED or scheduled.end_kind != Membership.EndKind.WITHDRAWN:
        raise Conflict(interpolate_lazy(_("该单位的成员资格已定于 %(date)s 结束。"), {"date": ends_on}),
                       code="end_scheduled")
    if effective_date >= scheduled.ended_on:
        raise DomainError(interpolate_lazy(
            _("该单位的退出已定于 %(date)s 生效，成员资格在该日结束；取消成员资格须在该日之前生效（%(effective)s 不在其前）。"),
            {"date": ends_on, "effective": effective_date.isoformat()}), code="end_scheduled", field="effective_date")
    withdrawal = (MembershipEvent.objects.in_force().filter(membership=scheduled, kind=MembershipEvent.Kind.WITHDREW)
                  .order_by("-id").first())
    if withdrawal is None:  # the period says withdrawn but no event does: registry_inconsistencies reports it
        raise Conflict(interpolate_lazy(_("该单位的成员资格已定于 %(date)s 结束。"), {"date": ends_on}),
                       code="end_scheduled")
    return scheduled, withdrawal


@transaction.atomic
def membership_revoke(actor: Actor, org: Organisation, *, reason: str, public_notice: str,
                      effective_date: date | None = None, legal_basis: str = ART_REVOKE) -> MembershipEvent:
    """Art 21: revoke membership with a public notice. The complaints app calls this after verification.

    Takes effect on the day it is decided (today) or later, never earlier. A withdrawal already
    acknowledged for a later day is overtaken when the revocation takes effect before it: the
    revocation's event supersedes the withdrawal's (both stay in the record).
    """
    actor = authorize(actor, "membership.revoke", org)
    if not public_notice.strip():
        raise DomainError(_("取消成员资格必须附向社会通报的内容。"), code="public_notice_required",
                          field="public_notice")
    if effective_date is not None:
        _check_not_before(effective_date, clock.today(),
                          _("取消成员资格自决定之日（%(date)s）起生效，不能追溯到 %(effective)s。"), "revocation_backdated")
    event = _membership_end(actor, org, kind=MembershipEvent.Kind.REVOKED,
                            effective_date=effective_date or clock.today(), reason=reason, legal_basis=legal_basis,
                            public_notice=public_notice)
    _cancel_pending_withdrawals(actor, org, text("membership.revoked"))
    if event.supersedes_id is not None:
        _note_superseded_withdrawal(actor, event)
    notify(org, "membership_revoked", text("membership_revoked.subject"), public_notice)
    return event


def _note_superseded_withdrawal(actor: Actor, event: MembershipEvent) -> None:
    """The acknowledged notice keeps its state; its own record says the revocation overtook it."""
    notice = (WithdrawalNotice.objects.select_for_update(no_key=True)
              .filter(membership_id=event.membership_id, state=WithdrawalState.ACKNOWLEDGED).order_by("-id").first())
    if notice is not None:
        record(actor, WITHDRAWAL_MACHINE, notice, "superseded",
               comment=text("withdrawal.superseded", date=event.effective_date.isoformat()))


def _cancel_pending_withdrawals(actor: Actor, org: Organisation, comment: Text) -> None:
    for notice in WithdrawalNotice.objects.select_for_update(no_key=True).filter(organisation=org, state=WithdrawalState.FILED):
        move(actor, WITHDRAWAL_MACHINE, notice, "cancel", comment=comment)


# --- Withdrawal notices (Art 25) --------------------------------------------------------------------

@transaction.atomic
def withdrawal_file(actor: Actor, org: Organisation, *, reason: str = "", requested_date: date | None = None,
                    letter: UploadedFile | None = None) -> WithdrawalNotice:
    """A representative notifies the executive body that the organisation withdraws (Art 25)."""
    actor = authorize(actor, "withdrawal.file", org)
    org = lock_org(org)
    membership = org.memberships.filter(ended_on__isnull=True).first()
    if membership is None:
        scheduled = org.memberships.filter(ended_on__gt=clock.today()).first()
        if scheduled is not None and scheduled.ended_on is not None:  # still a signatory, its end recorded
            raise Conflict(interpolate_lazy(_("该单位的成员资格已定于 %(date)s 结束。"),
                                            {"date": scheduled.ended_on.isoformat()}), code="end_scheduled")
        raise Conflict(_("该单位当前不是签署成员，无需退出。"), code="not_signatory")
    if requested_date is not None and requested_date < clock.today():
        raise DomainError(
            interpolate_lazy(_("退出自通知之日（%(date)s）或之后生效，希望生效日期不能早于该日。"),
                             {"date": clock.today().isoformat()}),
            code="withdrawal_backdated", field="requested_date")
    try:
        with transaction.atomic():
            notice = WithdrawalNotice.objects.create(organisation=org, membership=membership, reason=reason,
                                                     requested_date=requested_date, filed_by=actor.record_user,
                                                     filed_at=clock.now())
    except IntegrityError as exc:
        raise Conflict(_("已有一份待确认的退出通知。"), code="withdrawal_pending") from exc
    record_creation(actor, WITHDRAWAL_MACHINE, notice, "file")
    if letter is not None:
        document_upload(actor, organisation=org, kind=Document.Kind.WITHDRAWAL_LETTER, upload=letter,
                        withdrawal=notice)
    notify(org, "withdrawal_filed", text("withdrawal_filed.subject"), text("withdrawal_filed.body"))
    return notice


@transaction.atomic
def withdrawal_acknowledge(actor: Actor, notice: WithdrawalNotice, *,
                           effective_date: date | None = None) -> WithdrawalNotice:
    """Staff acknowledge a withdrawal notice; the membership ends on the acknowledged date.

    1. The date defaults to the one the member asked for, or today if that has passed or none was given.
    2. It is never before the notice was filed, nor before today: what a bulletin, a frozen electorate or
       a "status on D" answer relied on stays true. A later date is recorded now and takes effect then.
    """
    notice = WithdrawalNotice.objects.select_for_update(no_key=True).select_related("organisation").get(pk=notice.pk)
    authorize(actor, "withdrawal.acknowledge", notice)
    today = clock.today()
    effective = effective_date or max(today, notice.requested_date or today)
    _check_not_before(effective, timezone.localtime(notice.filed_at).date(),
                      _("退出自通知提交之日（%(date)s）或之后生效，不能追溯到 %(effective)s。"), "withdrawal_backdated")
    _check_not_before(effective, today,
                      _("退出的生效日期不能早于确认之日（%(date)s）：已公布的名单和已答复的状态查询不能被改写。"),
                      "withdrawal_backdated")
    move(actor, WITHDRAWAL_MACHINE, notice, "acknowledge", fields={
        "effective_date": effective, "acknowledged_by": actor.record_user, "acknowledged_at": clock.now()})
    letter = notice.documents.filter(superseded=False).first()
    _membership_end(actor, notice.organisation, kind=MembershipEvent.Kind.WITHDREW, effective_date=effective,
                    reason=text("withdrawal.acknowledged"), legal_basis=ART_WITHDRAW,
                    document_sha256=letter.sha256 if letter else "")
    notify(notice.organisation, "withdrawal_acknowledged", text("withdrawal_acknowledged.subject"),
           text("withdrawal_acknowledged.body", date=effective.isoformat()))
    if effective > today:
        notify(notice.organisation, "withdrawal_scheduled", text("withdrawal_scheduled.subject"),
               text("withdrawal_scheduled.body", date=effective.isoformat()))
    return notice


@transaction.atomic
def withdrawal_cancel(actor: Actor, notice: WithdrawalNotice) -> WithdrawalNotice:
    notice = WithdrawalNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
    move(actor, WITHDRAWAL_MACHINE, notice, "cancel")
    return notice
