"""Every state change of the register. Each function is one transaction that appends its event row.

Views, admin actions, API views, commands and tasks call these; none repeats a transition's effects.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.documents import check_document
from members.core.errors import Conflict, DomainError, TransitionNotAllowed
from members.core.i18n import interpolate_lazy
from members.core.policy import Actor, authorize
from members.core.transitions import move, record, record_creation
from members.transparency.services import log_append

from . import uscc as uscc_rules
from .details.services import details_record
from .models import (
    APPLICATION_MACHINE,
    APPLICATION_TRANSITIONS,
    WITHDRAWAL_MACHINE,
    ApplicationState,
    Document,
    JoinApplication,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Notification,
    Organisation,
    Representative,
    WithdrawalNotice,
    WithdrawalState,
    roles_to_text,
)

ART_JOIN = "第二十三条"
ART_WITHDRAW = "第二十五条"
ART_REVOKE = "第二十一条"


# --- Organisations ----------------------------------------------------------------------------------

ORG_FIELDS = ("name", "name_en", "roles", "region", "website", "contact_name", "contact_phone", "contact_email")


def organisation_validate_uscc(raw: str) -> str:
    """The normalised code, or a DomainError saying which part is wrong (applicants get no waiver)."""
    result = uscc_rules.check(raw)
    if not result.valid:
        raise DomainError(result.reason, code="uscc_invalid", field="uscc")
    return result.code


def _apply_org_fields(org: Organisation, data: dict[str, Any]) -> None:
    for field in ORG_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "roles":
            value = roles_to_text(value if isinstance(value, list | tuple | set) else value.split(","))
            if not value:
                raise DomainError(_("请至少选择一个角色。"), code="roles_required", field="roles")
        setattr(org, field, value or "")
    try:
        org.full_clean(exclude=["uscc", "status"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], code="invalid_field", field=field) from exc


# --- Join applications ------------------------------------------------------------------------------

def _lock_application(application: JoinApplication) -> JoinApplication:
    return JoinApplication.objects.select_for_update(no_key=True).select_related("organisation").get(pk=application.pk)


@transaction.atomic
def application_create(actor: Actor, *, uscc: str, data: dict[str, Any]) -> JoinApplication:
    """Start a draft application, creating the organisation record if the code is new.

    1. The code must pass the full check (only staff may waive it, in the admin).
    2. An organisation that is a signatory, or has an open application, cannot get another one.
    3. An account may represent one organisation only.
    """
    authorize(actor, "application.create")
    user = actor.record_user
    code = organisation_validate_uscc(uscc)
    if user is not None and Representative.objects.filter(user=user).exists():
        raise Conflict(_("该账户已代表一个单位。"), code="already_representative")
    org = Organisation.objects.select_for_update(no_key=True).filter(uscc=code).first()
    if org is not None:
        if org.representatives.exists():
            raise Conflict(
                _("该单位已有代表账户，请联系现有代表邀请您加入。"), code="organisation_has_representatives", field="uscc"
            )
        # A self-service claim of a registered organisation would hand a stranger its record and its
        # documents: the executive body verifies who speaks for it and links the account itself.
        raise Conflict(
            _("该单位已在登记册中。请联系执行机构核实身份后，由执行机构为您开通单位代表账户。"),
            code="organisation_registered", field="uscc",
        )
    org = Organisation(uscc=code)
    _apply_org_fields(org, data)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:  # the same new code applied for at the same moment
        raise Conflict(_("该单位已在登记册中。请联系执行机构核实身份后，由执行机构为您开通单位代表账户。"),
                       code="organisation_registered", field="uscc") from exc
    app = _draft_open(actor, org)
    if user is not None:
        Representative.objects.create(user=user, organisation=org, is_primary=True)
    return app


@transaction.atomic
def application_reapply(actor: Actor, org: Organisation) -> JoinApplication:
    """A new draft for an organisation that withdrew, was rejected or was revoked (a new period, Art 25).

    Documents are uploaded again on the new draft; the public details stay as registered (staff change
    them); the old application and its history stay as they were.
    """
    authorize(actor, "application.reapply", org)
    org = _lock_org(org)
    if org.status == MembershipStatus.SIGNATORY:
        raise Conflict(_("该单位已是公约签署成员。"), code="already_signatory")
    return _draft_open(actor, org, comment=str(_("重新申请")))


def _draft_open(actor: Actor, org: Organisation, comment: str = "") -> JoinApplication:
    """Open a draft application and record its creation; the database allows one open application."""
    try:
        with transaction.atomic():
            app = JoinApplication.objects.create(organisation=org, created_by=actor.record_user)
    except IntegrityError as exc:
        raise Conflict(_("该单位已有一份正在办理的申请。"), code="application_open") from exc
    record_creation(actor, APPLICATION_MACHINE, app, "create", comment=comment)
    return app


PUBLIC_ORG_FIELDS = ("name", "name_en", "roles", "region", "website")


@transaction.atomic
def application_update(actor: Actor, application: JoinApplication, *, data: dict[str, Any]) -> JoinApplication:
    """Change the organisation's details on an editable application.

    Once an organisation has a membership history its public details (name, roles, region, website)
    are part of the public record: only staff change them, in the admin, where the change is audited.
    """
    app = _lock_application(application)
    authorize(actor, "application.update", app)
    if not app.is_editable:
        raise TransitionNotAllowed(_("申请已提交，当前不能修改。"))
    org = app.organisation
    if org.status != MembershipStatus.NONE:
        current = {f: getattr(org, f) for f in PUBLIC_ORG_FIELDS}
        for field in PUBLIC_ORG_FIELDS:
            if field not in data:
                continue
            value = data[field]
            if field == "roles":
                value = roles_to_text(value if isinstance(value, list | tuple | set) else value.split(","))
            if (value or "") != current[field]:
                raise DomainError(
                    _("本单位已在公开登记册中，名称、角色、地区、网站的变更请联系执行机构办理。"),
                    code="public_details_locked", field=field,
                )
    _apply_org_fields(app.organisation, data)
    app.organisation.save()
    return app


@transaction.atomic
def document_upload(actor: Actor, *, organisation: Organisation, kind: str, upload: UploadedFile,
                    application: JoinApplication | None = None,
                    withdrawal: WithdrawalNotice | None = None) -> Document:
    """Check the file by content and size, store it privately, supersede the previous one of its kind."""
    authorize(actor, "document.upload", organisation)
    if application is not None and application.organisation_id != organisation.pk:
        raise DomainError(_("文件与申请不属于同一单位。"), code="document_organisation")
    if kind not in Document.Kind.values:
        raise DomainError(_("未知文件类型。"), code="document_kind", field="kind")
    if application is not None:
        app = _lock_application(application)
        if not app.is_editable:
            raise TransitionNotAllowed(_("申请已提交，当前不能更换文件。"))
    # Staff open these: store only the re-encoded image, or the PDF without scripts, actions and files.
    checked = check_document(upload, field=kind)
    content = checked.content
    doc = Document(
        organisation=organisation, application=application, withdrawal=withdrawal, kind=kind,
        original_name=checked.original_name, content_type=checked.content_type, size=len(content),
        sha256=Document.hash_bytes(content), uploaded_by=actor.record_user,
    )
    scope = Document.objects.filter(organisation=organisation, kind=kind, superseded=False)
    doc.file.save(f"{kind}.{checked.extension}", ContentFile(content), save=False)
    try:
        if application is not None:
            scope.filter(application=application).update(superseded=True)
        if withdrawal is not None:
            scope.filter(withdrawal=withdrawal).update(superseded=True)
        doc.save()
    except Exception:
        doc.file.storage.delete(doc.file.name or "")  # no stray file when the row is not written
        raise
    return doc


@transaction.atomic
def application_submit(actor: Actor, application: JoinApplication, *, action: str | None = None) -> JoinApplication:
    """Submit a draft (``submit``) or a returned application (``resubmit``). Both documents must be there.

    Without ``action`` the move follows the state, as the portal's single "submit" button does.
    """
    app = _lock_application(application)
    if action is None:
        action = "resubmit" if app.state == ApplicationState.RETURNED else "submit"
    if action not in ("submit", "resubmit"):
        raise ValueError(action)
    authorize(actor, f"application.{action}", app)
    if app.state in APPLICATION_TRANSITIONS[action]:
        for kind in (Document.Kind.BUSINESS_LICENCE, Document.Kind.SEALED_PAGE):
            if app.current_document(kind) is None:
                raise DomainError(_("缺少必需文件：%(doc)s。") % {"doc": Document.Kind(kind).label},
                                  code="documents_missing", field=kind)
    move(actor, APPLICATION_MACHINE, app, action, fields={"submitted_at": clock.now()})
    notify(app.organisation, "application_received", _("入约申请已收到"),
           _("我们已收到贵单位的入约申请，将尽快审核。"))
    return app


@transaction.atomic
def application_start_review(actor: Actor, application: JoinApplication) -> JoinApplication:
    app = _lock_application(application)
    move(actor, APPLICATION_MACHINE, app, "start_review")
    return app


@transaction.atomic
def application_verify_sealed_page(actor: Actor, application: JoinApplication) -> JoinApplication:
    """Staff confirm the sealed signature page is genuine; recorded as an event, state unchanged."""
    app = _lock_application(application)
    authorize(actor, "application.verify_sealed_page", app)
    if app.state != ApplicationState.UNDER_REVIEW:
        raise TransitionNotAllowed(_("只有审核中的申请才能核验签署页。"))
    if app.current_document(Document.Kind.SEALED_PAGE) is None:
        raise DomainError(_("申请没有加盖公章的签署页。"), code="sealed_page_missing")
    app.sealed_page_verified_by = actor.record_user
    app.sealed_page_verified_at = clock.now()
    app.save(update_fields=["sealed_page_verified_by", "sealed_page_verified_at"])
    record(actor, APPLICATION_MACHINE, app, "verify_sealed_page")
    return app


@transaction.atomic
def application_return(actor: Actor, application: JoinApplication, *, comment: str) -> JoinApplication:
    app = _lock_application(application)
    authorize(actor, "application.return", app)
    if not comment.strip():
        raise DomainError(_("退回时必须说明需要修改的内容。"), code="comment_required", field="comment")
    # A new upload is needed for a fresh verification.
    move(actor, APPLICATION_MACHINE, app, "return", comment=comment, fields={
        "staff_comment": comment, "sealed_page_verified_at": None, "sealed_page_verified_by": None})
    notify(app.organisation, "application_returned", _("入约申请被退回修改"),
           _("审核意见：%(comment)s") % {"comment": comment})
    return app


@transaction.atomic
def application_reject(actor: Actor, application: JoinApplication, *, comment: str) -> JoinApplication:
    app = _lock_application(application)
    authorize(actor, "application.reject", app)
    if not comment.strip():
        raise DomainError(_("拒绝时必须说明理由。"), code="comment_required", field="comment")
    move(actor, APPLICATION_MACHINE, app, "reject", comment=comment,
         fields={"staff_comment": comment, "decided_at": clock.now()})
    notify(app.organisation, "application_rejected", _("入约申请未获批准"),
           _("理由：%(comment)s") % {"comment": comment})
    return app


@transaction.atomic
def application_approve(actor: Actor, application: JoinApplication, *, comment: str = "") -> JoinApplication:
    """Approve and start the membership in the same transaction (Art 23, Art 14 qualification review).

    1. The application must be under review, with a business licence and a verified sealed page.
    2. The membership starts today, the day the executive body approves; the start event records who
       verified the sealed page and when.
    """
    app = _lock_application(application)
    authorize(actor, "application.approve", app)
    APPLICATION_MACHINE.target(app, "approve")  # refused first with the state in the message
    if app.current_document(Document.Kind.BUSINESS_LICENCE) is None:
        raise DomainError(_("缺少营业执照，不能批准。"), code="licence_missing")
    if not app.sealed_page_verified or app.sealed_page_verified_at is None:
        raise DomainError(_("签署页尚未核验，不能批准。"), code="sealed_page_unverified")
    sealed = app.current_document(Document.Kind.SEALED_PAGE)
    started_on = clock.today()
    granted = move(actor, APPLICATION_MACHINE, app, "approve", comment=comment, save=False)
    membership = membership_start(
        granted, app.organisation, effective_date=started_on, reason=comment or str(_("入约申请已批准")),
        document_sha256=sealed.sha256 if sealed else "",
        sealed_page_verified_at=app.sealed_page_verified_at, sealed_page_verified_by=app.sealed_page_verified_by,
    )
    app.membership = membership
    app.decided_at = clock.now()
    app.staff_comment = comment or app.staff_comment
    app.save(update_fields=["state", "membership", "decided_at", "staff_comment"])
    notify(app.organisation, "application_approved", _("入约申请已批准"),
           _("贵单位自 %(date)s 起成为公约签署成员。") % {"date": started_on.isoformat()})
    return app


# --- Memberships ------------------------------------------------------------------------------------

def _lock_org(org: Organisation) -> Organisation:
    """Lock the row FOR NO KEY UPDATE, as every service lock here does (except before a delete).

    A plain FOR UPDATE also blocks the KEY SHARE lock PostgreSQL takes for each insert that references
    the row (a notification, a vote): a departure holding its organisation then waited for the log
    while a closing ballot holding the log waited to notify that organisation, a deadlock.
    """
    return Organisation.objects.select_for_update(no_key=True).get(pk=org.pk)


def _check_not_before(effective_date: date, act_day: date, message: Any, code: str) -> None:
    """An event never takes effect before the act that causes it (DESIGN "Effective dates")."""
    if effective_date < act_day:
        raise DomainError(interpolate_lazy(message, {"date": act_day.isoformat(),
                                                     "effective": effective_date.isoformat()}),
                          code=code, field="effective_date")


def membership_start(actor: Actor, org: Organisation, *, effective_date: date, reason: str = "",
                     legal_basis: str = ART_JOIN, document_sha256: str = "", sealed_page_verified_at: Any = None,
                     sealed_page_verified_by: Any = None) -> Membership:
    """Open a membership period today, the approval day. Call inside a transaction (it locks the row).

    The first details version (or a new one, if the record changed since the last period) starts
    with the period, so that every later view of this day shows the details it had.
    """
    authorize(actor, "membership.start", org)
    with transaction.atomic():
        org = _lock_org(org)
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
            reason=reason, document_sha256=document_sha256, sealed_page_verified_at=sealed_page_verified_at,
            sealed_page_verified_by=sealed_page_verified_by,
        )
        # The details version first: the public log entry of the event reads the details of its date.
        details_record(org, valid_from=effective_date, actor=actor.record_user, reason=str(_("成员资格开始")))
        log_append("membership_event", event)
        Organisation.objects.filter(pk=org.pk).update(
            status=MembershipStatus.SIGNATORY, joined_on=effective_date, left_on=None, updated_at=clock.now()
        )
    return membership


def projection_refresh(org: Organisation) -> bool:
    from .history import projection_refresh as refresh

    return refresh(org)


def _membership_end(actor: Actor, org: Organisation, *, kind: str, effective_date: date, reason: str,
                    legal_basis: str, document_sha256: str = "", public_notice: str = "") -> MembershipEvent:
    """End the open period on ``effective_date`` (today or later). Hold no lock; this takes the row's.

    Dated today, the end takes effect at once (projection and ``membership_ended`` in this transaction);
    dated later, the event and the period's end are recorded now and ``history.memberships_apply_due``
    applies the projection on the day.
    """
    org = _lock_org(org)
    membership = org.memberships.select_for_update(no_key=True).filter(ended_on__isnull=True).first()
    if membership is None:
        scheduled = org.memberships.filter(ended_on__gt=clock.today()).order_by("-started_on").first()
        if scheduled is not None and scheduled.ended_on is not None:
            raise Conflict(interpolate_lazy(_("该单位的成员资格已定于 %(date)s 结束。"),
                                            {"date": scheduled.ended_on.isoformat()}), code="end_scheduled")
        raise Conflict(_("该单位当前不是签署成员。"), code="not_signatory")
    if effective_date < membership.started_on:
        raise DomainError(_("结束日期不能早于成员资格开始日期 %(date)s。") % {"date": membership.started_on},
                          code="end_before_start", field="effective_date")
    end_kind = Membership.EndKind.WITHDRAWN if kind == MembershipEvent.Kind.WITHDREW else Membership.EndKind.REVOKED
    membership.ended_on = effective_date
    membership.end_kind = end_kind
    membership.save(update_fields=["ended_on", "end_kind"])
    event = MembershipEvent.objects.create(
        organisation=org, membership=membership, kind=kind, effective_date=effective_date,
        recorded_at=clock.now(), actor=actor.record_user, legal_basis=legal_basis, reason=reason,
        document_sha256=document_sha256, public_notice=public_notice,
    )
    log_append("membership_event", event)
    projection_refresh(org)  # a no-op for a later date: the job applies it on the day
    return event


@transaction.atomic
def membership_revoke(actor: Actor, org: Organisation, *, reason: str, public_notice: str,
                      effective_date: date | None = None, legal_basis: str = ART_REVOKE) -> MembershipEvent:
    """Art 21: revoke membership with a public notice. The complaints app calls this after verification.

    Takes effect on the day it is decided (today) or later, never earlier.
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
    _cancel_pending_withdrawals(actor, org, _("成员资格已被取消"))
    notify(org, "membership_revoked", _("成员资格已被取消"), public_notice)
    return event


def _cancel_pending_withdrawals(actor: Actor, org: Organisation, comment: Any) -> None:
    for notice in WithdrawalNotice.objects.select_for_update(no_key=True).filter(organisation=org, state=WithdrawalState.FILED):
        move(actor, WITHDRAWAL_MACHINE, notice, "cancel", comment=str(comment))


# --- Withdrawal notices (Art 25) --------------------------------------------------------------------

@transaction.atomic
def withdrawal_file(actor: Actor, org: Organisation, *, reason: str = "", requested_date: date | None = None,
                    letter: UploadedFile | None = None) -> WithdrawalNotice:
    """A representative notifies the executive body that the organisation withdraws (Art 25)."""
    actor = authorize(actor, "withdrawal.file", org)
    org = _lock_org(org)
    membership = org.memberships.filter(ended_on__isnull=True).first()
    if membership is None:
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
    notify(org, "withdrawal_filed", _("退出通知已提交"), _("执行机构确认后，退出自确认的日期起生效。"))
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
                    reason=str(_("退出通知已确认")), legal_basis=ART_WITHDRAW,
                    document_sha256=letter.sha256 if letter else "")
    notify(notice.organisation, "withdrawal_acknowledged", _("退出通知已确认"),
           _("贵单位自 %(date)s 起退出公约。") % {"date": effective.isoformat()})
    if effective > today:
        notify(notice.organisation, "withdrawal_scheduled", _("退出已安排"),
               _("在 %(date)s 之前，贵单位仍是公约签署成员。") % {"date": effective.isoformat()})
    return notice


@transaction.atomic
def withdrawal_cancel(actor: Actor, notice: WithdrawalNotice) -> WithdrawalNotice:
    notice = WithdrawalNotice.objects.select_for_update(no_key=True).get(pk=notice.pk)
    move(actor, WITHDRAWAL_MACHINE, notice, "cancel")
    return notice


# --- Notifications ----------------------------------------------------------------------------------

def notify(org: Organisation, kind: str, subject: Any, body: Any, link: str = "") -> Notification:
    """Record a notification and e-mail it through Celery (via the outbox) once the transaction has committed."""
    note = Notification.objects.create(organisation=org, kind=kind, subject=str(subject), body=str(body), link=link)
    from .audit import outbox
    from .tasks import notification_email

    outbox.enqueue(notification_email, note.pk)  # the intent is stored first: a broker outage loses nothing
    return note


def representatives_emails(org: Organisation) -> list[str]:
    return list(org.representatives.filter(user__is_active=True).values_list("user__email", flat=True))


def bulk_roles(values: Iterable[str]) -> str:
    return roles_to_text(list(values))
