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
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from members.models import MembershipStatus, Organisation
from members.selectors import representative_of
from members.services import User, membership_revoke, notify

from .evidence import evidence_clean
from .models import (
    COMPLAINT_TRANSITIONS,
    CORRECTION_TRANSITIONS,
    DISPUTE_TRANSITIONS,
    AppKind,
    Complaint,
    ComplaintEvent,
    ComplaintState,
    CorrectionEvent,
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


def _actor(user: User) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _required(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", field=field)
    return value


def _move(obj: Model, table: dict[str, dict[str, str]], action: str, event_model: type[Model], link: str,
          user: User, comment: str = "") -> None:
    """Check ``action`` against ``table``, move ``obj.state`` and append the event row (not saved: caller saves)."""
    allowed = table[action]
    state = obj.state  # type: ignore[attr-defined]
    if state not in allowed:
        raise TransitionNotAllowed(
            _("当前状态为“%(state)s”，不能执行该操作。") % {"state": obj.get_state_display()},  # type: ignore[attr-defined]
            params={"state": state, "action": action},
        )
    obj.state = allowed[state]  # type: ignore[attr-defined]
    event_model.objects.create(  # type: ignore[attr-defined]
        **{link: obj}, from_state=state, to_state=obj.state, action=action,  # type: ignore[attr-defined]
        actor=_actor(user), at=clock.now(), comment=comment,
    )


def _record(complaint: Complaint, action: str, user: User, comment: str = "") -> ComplaintEvent:
    """A history row that does not change the state (note, assignment, measure)."""
    return ComplaintEvent.objects.create(complaint=complaint, from_state=complaint.state, to_state=complaint.state,
                                         action=action, actor=_actor(user), at=clock.now(), comment=comment)


# --- Filing and tracking -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    tracking_code: str  # shown once to the reporter, never stored


@transaction.atomic
def complaint_file(*, organisation: Organisation, description: str, app_name: str = "", app_kind: str = "",
                   article_number: int | None = None, reporter_name: str = "", reporter_email: str = "",
                   reporter_phone: str = "", evidence: Sequence[UploadedFile] = ()) -> Filed:
    """A report from anyone, account or not (Art 21).

    1. The reported organisation must be a current signatory.
    2. Every evidence file is checked by content and rewritten without metadata before anything is saved.
    3. The tracking code is returned once; only its hash is stored.
    """
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
    ComplaintEvent.objects.create(complaint=complaint, to_state=complaint.state, action="file", at=clock.now())
    log.info("complaint filed", extra={"complaint_id": complaint.pk, "evidence": len(cleaned)})
    return Filed(complaint, code)


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("organisation").get(pk=complaint.pk)


@transaction.atomic
def complaint_start_verification(complaint: Complaint, *, user: User) -> Complaint:
    c = _lock(complaint)
    _move(c, COMPLAINT_TRANSITIONS, "start_verification", ComplaintEvent, "complaint", user)
    if c.assigned_to_id is None and _actor(user) is not None:
        c.assigned_to = _actor(user)
    c.save(update_fields=["state", "assigned_to"])
    return c


@transaction.atomic
def complaint_close_unfounded(complaint: Complaint, *, user: User, reason: str) -> Complaint:
    reason = _required(reason, "reason", _("结案时必须说明理由。"))
    c = _lock(complaint)
    _move(c, COMPLAINT_TRANSITIONS, "close_unfounded", ComplaintEvent, "complaint", user, reason)
    c.decision, c.decided_at = reason, clock.now()
    c.save(update_fields=["state", "decision", "decided_at"])
    return c


@transaction.atomic
def complaint_substantiate(complaint: Complaint, *, user: User, finding: str) -> Complaint:
    finding = _required(finding, "finding", _("请写明查证结论。"))
    c = _lock(complaint)
    _move(c, COMPLAINT_TRANSITIONS, "substantiate", ComplaintEvent, "complaint", user, finding)
    c.decision, c.decided_at = finding, clock.now()
    c.save(update_fields=["state", "decision", "decided_at"])
    return c


@transaction.atomic
def complaint_assign(complaint: Complaint, *, user: User, assignee: Any) -> Complaint:
    c = _lock(complaint)
    if assignee is not None and not assignee.is_staff:
        raise DomainError(_("只能指派给工作人员。"), code="assignee_not_staff", field="assignee")
    c.assigned_to = assignee
    c.save(update_fields=["assigned_to"])
    _record(c, "assign", user, str(assignee) if assignee else "")
    return c


@transaction.atomic
def complaint_add_note(complaint: Complaint, *, user: User, note: str) -> ComplaintEvent:
    """An internal note: officers only, appended to the history."""
    note = _required(note, "note", _("备注不能为空。"))
    return _record(_lock(complaint), "note", user, note)


# --- Measures --------------------------------------------------------------------------------------------

def _substantiated(complaint: Complaint) -> Complaint:
    c = _lock(complaint)
    if c.state != ComplaintState.SUBSTANTIATED:
        raise TransitionNotAllowed(_("只有查证属实的案件才能采取处理措施。"), code="not_substantiated")
    return c


@transaction.atomic
def correction_order_issue(complaint: Complaint, *, user: User, requirement: str, deadline: date) -> CorrectionOrder:
    requirement = _required(requirement, "requirement", _("请写明整改要求。"))
    c = _substantiated(complaint)
    if deadline <= clock.today():
        raise DomainError(_("整改期限必须晚于今天。"), code="deadline_past", field="deadline")
    order = CorrectionOrder.objects.create(complaint=c, organisation=c.organisation, requirement=requirement,
                                           deadline=deadline, issued_by=_actor(user), issued_at=clock.now())
    CorrectionEvent.objects.create(order=order, to_state=order.state, action="issue", actor=_actor(user),
                                   at=clock.now(), comment=requirement)
    _record(c, "correction_order", user, str(_("整改期限 %(d)s") % {"d": deadline.isoformat()}))
    notify(c.organisation, "correction_order", _("整改通知"),
           _("执行机构要求贵单位于 %(d)s 前完成整改并在单位工作台提交整改报告。") % {"d": deadline.isoformat()},
           link=f"/portal/cases/corrections/{order.pk}/")
    return order


def _lock_order(order: CorrectionOrder) -> CorrectionOrder:
    return CorrectionOrder.objects.select_for_update().select_related("organisation").get(pk=order.pk)


@transaction.atomic
def correction_answer(order: CorrectionOrder, *, user: User, report: str) -> CorrectionOrder:
    """The company's correction report, by one of its own representatives."""
    report = _required(report, "report", _("请填写整改报告。"))
    o = _lock_order(order)
    org = representative_of(user)
    if org is None or org.pk != o.organisation_id:
        raise PermissionDenied(_("只有被要求整改单位的代表可以提交整改报告。"))
    _move(o, CORRECTION_TRANSITIONS, "answer", CorrectionEvent, "order", user, report)
    o.response, o.answered_by, o.answered_at = report, _actor(user), clock.now()
    o.save(update_fields=["state", "response", "answered_by", "answered_at"])
    _record(o.complaint, "correction_answered", user)
    return o


@transaction.atomic
def correction_accept(order: CorrectionOrder, *, user: User, comment: str = "") -> CorrectionOrder:
    o = _lock_order(order)
    _move(o, CORRECTION_TRANSITIONS, "accept", CorrectionEvent, "order", user, comment)
    o.save(update_fields=["state"])
    _record(o.complaint, "correction_accepted", user, comment)
    notify(o.organisation, "correction_accepted", _("整改报告已认可"), comment or _("执行机构已认可贵单位的整改报告。"),
           link=f"/portal/cases/corrections/{o.pk}/")
    return o


@transaction.atomic
def correction_escalate(order: CorrectionOrder, *, user: User, comment: str) -> CorrectionOrder:
    comment = _required(comment, "comment", _("升级处理时必须说明理由。"))
    o = _lock_order(order)
    _move(o, CORRECTION_TRANSITIONS, "escalate", CorrectionEvent, "order", user, comment)
    o.save(update_fields=["state"])
    _record(o.complaint, "correction_escalated", user, comment)
    notify(o.organisation, "correction_escalated", _("整改未获认可，案件升级处理"), comment,
           link=f"/portal/cases/corrections/{o.pk}/")
    return o


@transaction.atomic
def correction_flag_overdue(order_id: int) -> bool:
    """Mark one order overdue once (conditional UPDATE: a second run, or a racing worker, does nothing)."""
    now = clock.now()
    claimed = CorrectionOrder.objects.filter(
        pk=order_id, state=CorrectionState.ISSUED, deadline__lt=clock.today(), overdue_flagged_at__isnull=True,
    ).update(overdue_flagged_at=now)
    if not claimed:
        return False
    o = CorrectionOrder.objects.select_related("organisation", "complaint").get(pk=order_id)
    CorrectionEvent.objects.create(order=o, from_state=o.state, to_state=o.state, action="flag_overdue", at=now)
    _record(o.complaint, "correction_overdue", None)
    notify(o.organisation, "correction_overdue", _("整改已逾期"),
           _("整改期限 %(d)s 已过，请尽快提交整改报告。") % {"d": o.deadline.isoformat()},
           link=f"/portal/cases/corrections/{o.pk}/")
    return True


@transaction.atomic
def internal_notice_issue(complaint: Complaint, *, user: User, title: str, body: str) -> InternalNotice:
    title = _required(title, "title", _("请填写通报标题。"))
    body = _required(body, "body", _("请填写通报内容。"))
    c = _substantiated(complaint)
    notice = InternalNotice.objects.create(complaint=c, organisation=c.organisation, title=title, body=body,
                                           published_by=_actor(user), published_at=clock.now())
    _record(c, "internal_notice", user, title)
    return notice


@transaction.atomic
def complaint_revoke_membership(complaint: Complaint, *, user: User, reason: str, public_notice: str,
                                effective_date: date | None = None) -> Complaint:
    """取消成员资格并向社会通报: ends the membership through the register's event log (Art 21).

    The MembershipEvent carries the public notice; the public notices page, the Atom feed and the next
    bulletin all read it from there.
    """
    reason = _required(reason, "reason", _("请写明取消成员资格的理由。"))
    c = _substantiated(complaint)
    if c.revocation_event_id is not None:
        raise Conflict(_("本案已取消该单位的成员资格。"), code="already_revoked")
    event = membership_revoke(c.organisation, user=user, reason=reason, public_notice=public_notice,
                              effective_date=effective_date)
    c.revocation_event = event
    c.save(update_fields=["revocation_event"])
    _record(c, "revoke_membership", user, reason)
    return c


# --- Reporter privacy --------------------------------------------------------------------------------------

def reporter_retention_cutoff() -> Any:
    return clock.now() - timedelta(days=settings.COMPLAINTS_REPORTER_RETENTION_DAYS)


@transaction.atomic
def reporter_contact_purge(complaint_id: int) -> bool:
    """Erase one decided case's reporter details once the retention period has passed (idempotent)."""
    now = clock.now()
    claimed = Complaint.objects.filter(
        pk=complaint_id, decided_at__lt=reporter_retention_cutoff(), reporter_purged_at__isnull=True,
    ).update(reporter_name="", reporter_email="", reporter_phone="", reporter_purged_at=now)
    if claimed:
        ComplaintEvent.objects.create(complaint_id=complaint_id, to_state=Complaint.objects.get(pk=complaint_id).state,
                                      from_state="", action="reporter_purged", at=now)
    return bool(claimed)


# --- Disputes (Art 22) -------------------------------------------------------------------------------------

@transaction.atomic
def dispute_request(*, user: User, respondent: Organisation, subject: str, description: str) -> Dispute:
    """A representative asks the executive body to mediate a dispute with another member."""
    subject = _required(subject, "subject", _("请填写争议事项。"))
    description = _required(description, "description", _("请说明争议情况。"))
    requester = representative_of(user)
    if requester is None or not requester.is_signatory:
        raise PermissionDenied(_("只有现签署成员的代表可以申请调解。"))
    if respondent.pk == requester.pk:
        raise DomainError(_("不能对本单位申请调解。"), code="same_party", field="respondent")
    if respondent.status != MembershipStatus.SIGNATORY:
        raise DomainError(_("对方单位不是现签署成员。"), code="not_signatory", field="respondent")
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(requester=requester, respondent=respondent, subject=subject,
                                             description=description, requested_by=_actor(user),
                                             requested_at=clock.now())
    except IntegrityError as exc:
        raise Conflict(_("申请方与被申请方不能相同。"), code="same_party") from exc
    DisputeEvent.objects.create(dispute=dispute, to_state=dispute.state, action="request", actor=_actor(user),
                                at=clock.now())
    notify(respondent, "mediation_requested", _("收到调解申请"),
           _("%(org)s 就“%(subject)s”向执行机构申请调解。") % {"org": requester.name, "subject": subject},
           link=f"/portal/cases/disputes/{dispute.pk}/")
    return dispute


def _lock_dispute(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update().select_related("requester", "respondent").get(pk=dispute.pk)


def _notify_parties(d: Dispute, kind: str, subject: Any, body: Any) -> None:
    for org in (d.requester, d.respondent):
        notify(org, kind, subject, body, link=f"/portal/cases/disputes/{d.pk}/")


@transaction.atomic
def dispute_start_mediation(dispute: Dispute, *, user: User, comment: str = "") -> Dispute:
    d = _lock_dispute(dispute)
    _move(d, DISPUTE_TRANSITIONS, "start_mediation", DisputeEvent, "dispute", user, comment)
    d.mediator = _actor(user)
    d.save(update_fields=["state", "mediator"])
    _notify_parties(d, "mediation_started", _("调解已开始"), comment or _("执行机构已受理调解申请。"))
    return d


@transaction.atomic
def dispute_record_step(dispute: Dispute, *, user: User, step: str) -> DisputeEvent:
    """A mediation step (meeting, call, proposal): both parties see it."""
    step = _required(step, "step", _("请填写调解经过。"))
    d = _lock_dispute(dispute)
    if d.state != DisputeState.IN_MEDIATION:
        raise TransitionNotAllowed(_("只有调解中的案件才能记录调解经过。"))
    return DisputeEvent.objects.create(dispute=d, from_state=d.state, to_state=d.state, action="step",
                                       actor=_actor(user), at=clock.now(), comment=step)


def _dispute_close(dispute: Dispute, action: str, user: User, outcome: str) -> Dispute:
    d = _lock_dispute(dispute)
    _move(d, DISPUTE_TRANSITIONS, action, DisputeEvent, "dispute", user, outcome)
    d.outcome, d.closed_at = outcome, clock.now()
    d.save(update_fields=["state", "outcome", "closed_at"])
    _notify_parties(d, f"mediation_{action}", _("调解结束：%(s)s") % {"s": d.get_state_display()}, outcome)
    return d


@transaction.atomic
def dispute_settle(dispute: Dispute, *, user: User, outcome: str) -> Dispute:
    return _dispute_close(dispute, "settle", user, _required(outcome, "outcome", _("请写明调解结果。")))


@transaction.atomic
def dispute_not_settle(dispute: Dispute, *, user: User, outcome: str) -> Dispute:
    return _dispute_close(dispute, "not_settle", user, _required(outcome, "outcome", _("请写明调解结果。")))


@transaction.atomic
def dispute_withdraw(dispute: Dispute, *, user: User, reason: str = "") -> Dispute:
    """The requesting company (or staff on its behalf) withdraws the request."""
    if not getattr(user, "is_staff", False):
        org = representative_of(user)
        if org is None or org.pk != dispute.requester_id:
            raise PermissionDenied(_("只有申请方可以撤回调解申请。"))
    return _dispute_close(dispute, "withdraw", user, reason.strip())
