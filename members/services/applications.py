"""Organisations and their join applications (Art 23): from the first draft to approval.

Approval starts the membership (``memberships.membership_start``) in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, DomainError, TransitionNotAllowed
from members.core.i18n import list_separator
from members.core.policy import Actor, authorize
from members.core.texts import Text, text
from members.core.transitions import move, record, record_creation

from .. import uscc as uscc_rules
from ..models import (
    APPLICATION_MACHINE,
    APPLICATION_TRANSITIONS,
    ApplicationState,
    Document,
    JoinApplication,
    MembershipStatus,
    Organisation,
    Representative,
    roles_to_text,
)
from .locks import lock_application, lock_org
from .memberships import membership_start
from .notifications import notify

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
    org = lock_org(org)
    if org.status == MembershipStatus.SIGNATORY:
        raise Conflict(_("该单位已是公约签署成员。"), code="already_signatory")
    return _draft_open(actor, org, comment=text("application.reapply"))


def _draft_open(actor: Actor, org: Organisation, comment: str | Text = "") -> JoinApplication:
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
    app = lock_application(application)
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

REQUIRED_DOCUMENTS = (Document.Kind.BUSINESS_LICENCE, Document.Kind.SEALED_PAGE)


def application_missing_documents(application: JoinApplication) -> list[str]:
    """The kinds of the required documents the application has no current file of, in form order."""
    return [kind for kind in REQUIRED_DOCUMENTS if application.current_document(kind) is None]


@transaction.atomic
def application_submit(actor: Actor, application: JoinApplication, *, action: str | None = None) -> JoinApplication:
    """Submit a draft (``submit``) or a returned application (``resubmit``). Both documents must be there.

    Without ``action`` the move follows the state, as the portal's single "submit" button does.
    """
    app = lock_application(application)
    if action is None:
        action = "resubmit" if app.state == ApplicationState.RETURNED else "submit"
    if action not in ("submit", "resubmit"):
        raise ValueError(action)
    authorize(actor, f"application.{action}", app)
    if app.state in APPLICATION_TRANSITIONS[action]:
        missing = application_missing_documents(app)
        if missing:
            # Every missing file in one message, so the applicant fixes them all in one go.
            labels = list_separator().join(str(Document.Kind(kind).label) for kind in missing)
            raise DomainError(_("缺少必需文件：%(doc)s。") % {"doc": labels}, code="documents_missing",
                              field=missing[0])
    move(actor, APPLICATION_MACHINE, app, action, fields={"submitted_at": clock.now()})
    notify(app.organisation, "application_received", text("application_received.subject"),
           text("application_received.body"))
    return app


@transaction.atomic
def application_start_review(actor: Actor, application: JoinApplication) -> JoinApplication:
    app = lock_application(application)
    move(actor, APPLICATION_MACHINE, app, "start_review")
    return app


@transaction.atomic
def application_verify_sealed_page(actor: Actor, application: JoinApplication) -> JoinApplication:
    """Staff confirm the sealed signature page is genuine; recorded as an event, state unchanged."""
    app = lock_application(application)
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
    app = lock_application(application)
    authorize(actor, "application.return", app)
    if not comment.strip():
        raise DomainError(_("退回时必须说明需要修改的内容。"), code="comment_required", field="comment")
    # A new upload is needed for a fresh verification.
    move(actor, APPLICATION_MACHINE, app, "return", comment=comment, fields={
        "staff_comment": comment, "sealed_page_verified_at": None, "sealed_page_verified_by": None})
    notify(app.organisation, "application_returned", text("application_returned.subject"),
           text("application_returned.body", comment=comment))
    return app


@transaction.atomic
def application_reject(actor: Actor, application: JoinApplication, *, comment: str) -> JoinApplication:
    app = lock_application(application)
    authorize(actor, "application.reject", app)
    if not comment.strip():
        raise DomainError(_("拒绝时必须说明理由。"), code="comment_required", field="comment")
    move(actor, APPLICATION_MACHINE, app, "reject", comment=comment,
         fields={"staff_comment": comment, "decided_at": clock.now()})
    notify(app.organisation, "application_rejected", text("application_rejected.subject"),
           text("application_rejected.body", comment=comment))
    return app


@transaction.atomic
def application_approve(actor: Actor, application: JoinApplication, *, comment: str = "") -> JoinApplication:
    """Approve and start the membership in the same transaction (Art 23, Art 14 qualification review).

    1. The application must be under review, with a business licence and a verified sealed page.
    2. The membership starts today, the day the executive body approves; the start event records who
       verified the sealed page and when.
    """
    app = lock_application(application)
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
        granted, app.organisation, effective_date=started_on, reason=comment or text("application.approved"),
        document_sha256=sealed.sha256 if sealed else "",
        sealed_page_verified_at=app.sealed_page_verified_at, sealed_page_verified_by=app.sealed_page_verified_by,
    )
    app.membership = membership
    app.decided_at = clock.now()
    app.staff_comment = comment or app.staff_comment
    app.save(update_fields=["state", "membership", "decided_at", "staff_comment"])
    notify(app.organisation, "application_approved", text("application_approved.subject"),
           text("application_approved.body", date=started_on.isoformat()))
    return app
