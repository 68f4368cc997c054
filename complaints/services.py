"""Every state change of complaints, measures and disputes. One transaction per move, one event row each.

Views, the admin, API views and tasks call these; none repeats a move's side effects.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from members.core.policy import ANONYMOUS, Actor, authorize
from members.core.texts import Text, text
from members.core.transitions import move, record, record_creation
from members.models import MembershipStatus, Organisation
from members.services import membership_revoke, notify

from .evidence import evidence_clean
from .models import (
    COMPLAINT_MACHINE,
    CORRECTION_MACHINE,
    DISPUTE_MACHINE,
    AppKind,
    Complaint,
    ComplaintEvent,
    ComplaintState,
    CorrectionOrder,
    CorrectionState,
    Dispute,
    DisputeEvent,
    DisputeState,
    Evidence,
    InternalNotice,
    tracking_code_hash,
    tracking_code_new,
)

log = logging.getLogger(__name__)

MAX_EVIDENCE_FILES = 5


def _required(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", field=field)
    return value


def _record(actor: Actor, complaint: Complaint, action: str, comment: str | Text = "") -> ComplaintEvent:
    """A history row that does not change the state (note, assignment, measure)."""
    return record(actor, COMPLAINT_MACHINE, complaint, action, comment=comment)


# --- Filing and tracking -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    tracking_code: str  # shown once to the reporter, never stored


@transaction.atomic
def complaint_file(actor: Actor, *, organisation: Organisation, description: str, app_name: str = "", app_kind: str = "",
                   article_number: int | None = None, reporter_name: str = "", reporter_email: str = "",
                   reporter_phone: str = "", evidence: Sequence[UploadedFile] = ()) -> Filed:
    """A report from anyone, account or not (Art 21).

    1. The reported organisation must be a current signatory.
    2. Every evidence file is checked by content and rewritten without metadata before anything is saved.
    3. The tracking code is returned once; only its hash is stored.
    """
    authorize(actor, "complaint.file", organisation)
    description = _required(description, "description", _("请描述发生了什么。"))
    if organisation.status != MembershipStatus.SIGNATORY:
        raise DomainError(_("只能举报现签署成员。"), code="not_signatory", field="organisation")
    if app_kind and app_kind not in AppKind.values:
        raise DomainError(_("未知的应用形态。"), code="app_kind", field="app_kind")
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise DomainError(_("证据材料最多 %(n)s 个文件。") % {"n": MAX_EVIDENCE_FILES}, code="too_many_files",
                          field="evidence")
    cleaned = [evidence_clean(f) for f in evidence]
    code = tracking_code_new()
    complaint = Complaint.objects.create(
        organisation=organisation, description=description, app_name=app_name.strip(), app_kind=app_kind,
        article_number=article_number, reporter_name=reporter_name.strip(), reporter_email=reporter_email.strip(),
        reporter_phone=reporter_phone.strip(), tracking_hash=tracking_code_hash(code), received_at=clock.now(),
    )
    stored: list[str] = []
    try:
        for item in cleaned:
            ev = Evidence(complaint=complaint, content_type=item.content_type, size=len(item.content),
                          sha256=item.sha256)
            ev.file.save(f"evidence.{item.extension}", ContentFile(item.content), save=False)
            stored.append(ev.file.name or "")
            ev.save()
    except Exception:
        for name in stored:  # no stray private file when the transaction rolls back
            Evidence.file.field.storage.delete(name)
        raise
    # Never the reporter's account: the case history must not identify who reported it.
    record_creation(ANONYMOUS, COMPLAINT_MACHINE, complaint, "file")
    log.info("complaint filed", extra={"complaint_id": complaint.pk, "evidence": len(cleaned)})
    return Filed(complaint, code)


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(no_key=True).select_related("organisation").get(pk=complaint.pk)


@transaction.atomic
def complaint_start_verification(actor: Actor, complaint: Complaint) -> Complaint:
    c = _lock(complaint)
    move(actor, COMPLAINT_MACHINE, c, "start_verification",
         fields={"assigned_to": c.assigned_to if c.assigned_to_id is not None else actor.record_user})
    return c


@transaction.atomic
def complaint_close_unfounded(actor: Actor, complaint: Complaint, *, reason: str) -> Complaint:
    c = _lock(complaint)
    authorize(actor, "complaint.close_unfounded", c)
    reason = _required(reason, "reason", _("结案时必须说明理由。"))
    move(actor, COMPLAINT_MACHINE, c, "close_unfounded", comment=reason,
         fields={"decision": reason, "decided_at": clock.now()})
    return c


@transaction.atomic
def complaint_substantiate(actor: Actor, complaint: Complaint, *, finding: str) -> Complaint:
    c = _lock(complaint)
    authorize(actor, "complaint.substantiate", c)
    finding = _required(finding, "finding", _("请写明查证结论。"))
    move(actor, COMPLAINT_MACHINE, c, "substantiate", comment=finding,
         fields={"decision": finding, "decided_at": clock.now()})
    return c


@transaction.atomic
def complaint_assign(actor: Actor, complaint: Complaint, *, assignee: Any) -> Complaint:
    c = _lock(complaint)
    authorize(actor, "complaint.assign", c)
    if assignee is not None and not assignee.is_staff:
        raise DomainError(_("只能指派给工作人员。"), code="assignee_not_staff", field="assignee")
    c.assigned_to = assignee
    c.save(update_fields=["assigned_to"])
    _record(actor, c, "assign", str(assignee) if assignee else "")
    return c


@transaction.atomic
def complaint_add_note(actor: Actor, complaint: Complaint, *, note: str) -> ComplaintEvent:
    """An internal note: officers only, appended to the history."""
    c = _lock(complaint)
    authorize(actor, "complaint.note", c)
    return _record(actor, c, "note", _required(note, "note", _("备注不能为空。")))


# --- Measures --------------------------------------------------------------------------------------------

def _substantiated(actor: Actor, action: str, complaint: Complaint) -> Complaint:
    """The locked case, once ``actor`` may take the measure ``action`` and the case is substantiated."""
    c = _lock(complaint)
    authorize(actor, action, c)
    if c.state != ComplaintState.SUBSTANTIATED:
        raise TransitionNotAllowed(_("只有查证属实的案件才能采取处理措施。"), code="not_substantiated")
    return c


@transaction.atomic
def correction_order_issue(actor: Actor, complaint: Complaint, *, requirement: str,
                           deadline: date) -> CorrectionOrder:
    c = _substantiated(actor, "correction.issue", complaint)
    requirement = _required(requirement, "requirement", _("请写明整改要求。"))
    if deadline <= clock.today():
        raise DomainError(_("整改期限必须晚于今天。"), code="deadline_past", field="deadline")
    order = CorrectionOrder.objects.create(complaint=c, organisation=c.organisation, requirement=requirement,
                                           deadline=deadline, issued_by=actor.record_user, issued_at=clock.now())
    record_creation(actor, CORRECTION_MACHINE, order, "issue", comment=requirement)
    _record(actor, c, "correction_order", text("complaint.correction_deadline", d=deadline.isoformat()))
    notify(c.organisation, "correction_order", text("correction_order.subject"),
           text("correction_order.body", d=deadline.isoformat()), link=f"/portal/cases/corrections/{order.pk}/")
    return order


def _lock_order(order: CorrectionOrder) -> CorrectionOrder:
    return CorrectionOrder.objects.select_for_update(no_key=True).select_related("organisation").get(pk=order.pk)


@transaction.atomic
def correction_answer(actor: Actor, order: CorrectionOrder, *, report: str) -> CorrectionOrder:
    """The company's correction report, by one of its own representatives."""
    o = _lock_order(order)
    authorize(actor, "correction.answer", o)
    report = _required(report, "report", _("请填写整改报告。"))
    move(actor, CORRECTION_MACHINE, o, "answer", comment=report,
         fields={"response": report, "answered_by": actor.record_user, "answered_at": clock.now()})
    _record(actor, o.complaint, "correction_answered")
    return o


@transaction.atomic
def correction_accept(actor: Actor, order: CorrectionOrder, *, comment: str = "") -> CorrectionOrder:
    o = _lock_order(order)
    move(actor, CORRECTION_MACHINE, o, "accept", comment=comment)
    _record(actor, o.complaint, "correction_accepted", comment)
    notify(o.organisation, "correction_accepted", text("correction_accepted.subject"),
           comment or text("correction_accepted.body"),
           link=f"/portal/cases/corrections/{o.pk}/")
    return o


@transaction.atomic
def correction_escalate(actor: Actor, order: CorrectionOrder, *, comment: str) -> CorrectionOrder:
    o = _lock_order(order)
    authorize(actor, "correction.escalate", o)
    comment = _required(comment, "comment", _("升级处理时必须说明理由。"))
    move(actor, CORRECTION_MACHINE, o, "escalate", comment=comment)
    _record(actor, o.complaint, "correction_escalated", comment)
    notify(o.organisation, "correction_escalated", text("correction_escalated.subject"), comment,
           link=f"/portal/cases/corrections/{o.pk}/")
    return o


@transaction.atomic
def correction_flag_overdue(actor: Actor, order_id: int) -> bool:
    """Mark one order overdue once (conditional UPDATE: a second run, or a racing worker, does nothing)."""
    authorize(actor, "correction.flag_overdue")
    now = clock.now()
    claimed = CorrectionOrder.objects.filter(
        pk=order_id, state=CorrectionState.ISSUED, deadline__lt=clock.today(), overdue_flagged_at__isnull=True,
    ).update(overdue_flagged_at=now)
    if not claimed:
        return False
    o = CorrectionOrder.objects.select_related("organisation", "complaint").get(pk=order_id)
    record(actor, CORRECTION_MACHINE, o, "flag_overdue")
    _record(actor, o.complaint, "correction_overdue")
    notify(o.organisation, "correction_overdue", text("correction_overdue.subject"),
           text("correction_overdue.body", d=o.deadline.isoformat()),
           link=f"/portal/cases/corrections/{o.pk}/")
    return True


@transaction.atomic
def internal_notice_issue(actor: Actor, complaint: Complaint, *, title: str, body: str) -> InternalNotice:
    c = _substantiated(actor, "internal_notice.issue", complaint)
    title = _required(title, "title", _("请填写通报标题。"))
    body = _required(body, "body", _("请填写通报内容。"))
    notice = InternalNotice.objects.create(complaint=c, organisation=c.organisation, title=title, body=body,
                                           published_by=actor.record_user, published_at=clock.now())
    _record(actor, c, "internal_notice", title)
    return notice


@transaction.atomic
def complaint_revoke_membership(actor: Actor, complaint: Complaint, *, reason: str, public_notice: str,
                                effective_date: date | None = None) -> Complaint:
    """取消成员资格并向社会通报: ends the membership through the register's event log (Art 21).

    The MembershipEvent carries the public notice; the public notices page, the Atom feed and the next
    bulletin all read it from there.
    """
    c = _substantiated(actor, "complaint.revoke_membership", complaint)
    reason = _required(reason, "reason", _("请写明取消成员资格的理由。"))
    if c.revocation_event_id is not None:
        raise Conflict(_("本案已取消该单位的成员资格。"), code="already_revoked")
    granted = authorize(actor, "complaint.revoke_membership", c)  # implies membership.revoke
    event = membership_revoke(granted, c.organisation, reason=reason, public_notice=public_notice,
                              effective_date=effective_date)
    c.revocation_event = event
    c.save(update_fields=["revocation_event"])
    _record(actor, c, "revoke_membership", reason)
    return c


# --- Reporter privacy --------------------------------------------------------------------------------------

def reporter_retention_cutoff() -> Any:
    return clock.now() - timedelta(days=settings.COMPLAINTS_REPORTER_RETENTION_DAYS)


@transaction.atomic
def reporter_contact_purge(actor: Actor, complaint_id: int) -> bool:
    """Erase one decided case's reporter details once the retention period has passed (idempotent)."""
    authorize(actor, "complaint.reporter_purge")
    now = clock.now()
    claimed = Complaint.objects.filter(
        pk=complaint_id, decided_at__lt=reporter_retention_cutoff(), reporter_purged_at__isnull=True,
    ).update(reporter_name="", reporter_email="", reporter_phone="", reporter_purged_at=now)
    if claimed:
        _record(actor, Complaint.objects.get(pk=complaint_id), "reporter_purged")
    return bool(claimed)


# --- Disputes (Art 22) -------------------------------------------------------------------------------------

@transaction.atomic
def dispute_request(actor: Actor, *, respondent: Organisation, subject: str, description: str) -> Dispute:
    """A representative asks the executive body to mediate a dispute with another member."""
    authorize(actor, "dispute.request", respondent)
    subject = _required(subject, "subject", _("请填写争议事项。"))
    description = _required(description, "description", _("请说明争议情况。"))
    requester = actor.organisation
    if requester is None or not requester.is_signatory:
        raise PermissionDenied(_("只有现签署成员的代表可以申请调解。"))
    if respondent.pk == requester.pk:
        raise DomainError(_("不能对本单位申请调解。"), code="same_party", field="respondent")
    if respondent.status != MembershipStatus.SIGNATORY:
        raise DomainError(_("对方单位不是现签署成员。"), code="not_signatory", field="respondent")
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(requester=requester, respondent=respondent, subject=subject,
                                             description=description, requested_by=actor.record_user,
                                             requested_at=clock.now())
    except IntegrityError as exc:
        raise Conflict(_("申请方与被申请方不能相同。"), code="same_party") from exc
    record_creation(actor, DISPUTE_MACHINE, dispute, "request")
    notify(respondent, "mediation_requested", text("mediation_requested.subject"),
           text("mediation_requested.body", org=requester.name, subject=subject),
           link=f"/portal/cases/disputes/{dispute.pk}/")
    return dispute


def _lock_dispute(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update(no_key=True).select_related("requester", "respondent").get(pk=dispute.pk)


def _notify_parties(d: Dispute, kind: str, subject: Text, body: Text | str) -> None:
    for org in (d.requester, d.respondent):
        notify(org, kind, subject, body, link=f"/portal/cases/disputes/{d.pk}/")


@transaction.atomic
def dispute_start_mediation(actor: Actor, dispute: Dispute, *, comment: str = "") -> Dispute:
    d = _lock_dispute(dispute)
    move(actor, DISPUTE_MACHINE, d, "start_mediation", comment=comment, fields={"mediator": actor.record_user})
    _notify_parties(d, "mediation_started", text("mediation_started.subject"),
                    comment or text("mediation_started.body"))
    return d


@transaction.atomic
def dispute_record_step(actor: Actor, dispute: Dispute, *, step: str) -> DisputeEvent:
    """A mediation step (meeting, call, proposal): both parties see it."""
    d = _lock_dispute(dispute)
    authorize(actor, "dispute.step", d)
    step = _required(step, "step", _("请填写调解经过。"))
    if d.state != DisputeState.IN_MEDIATION:
        raise TransitionNotAllowed(_("只有调解中的案件才能记录调解经过。"))
    return record(actor, DISPUTE_MACHINE, d, "step", comment=step)


def _dispute_close(actor: Actor, dispute: Dispute, action: str, outcome: str, *, required: bool = True) -> Dispute:
    d = _lock_dispute(dispute)
    authorize(actor, DISPUTE_MACHINE.action(action), d)
    outcome = _required(outcome, "outcome", _("请写明调解结果。")) if required else outcome.strip()
    move(actor, DISPUTE_MACHINE, d, action, comment=outcome, fields={"outcome": outcome, "closed_at": clock.now()})
    _notify_parties(d, f"mediation_{action}", text("mediation_ended.subject", s=text(f"dispute_state.{d.state}")),
                    outcome)
    return d


@transaction.atomic
def dispute_settle(actor: Actor, dispute: Dispute, *, outcome: str) -> Dispute:
    return _dispute_close(actor, dispute, "settle", outcome)


@transaction.atomic
def dispute_not_settle(actor: Actor, dispute: Dispute, *, outcome: str) -> Dispute:
    return _dispute_close(actor, dispute, "not_settle", outcome)


@transaction.atomic
def dispute_withdraw(actor: Actor, dispute: Dispute, *, reason: str = "") -> Dispute:
    """The requesting company (or staff with the second factor, on its behalf) withdraws the request."""
    return _dispute_close(actor, dispute, "withdraw", reason, required=False)
