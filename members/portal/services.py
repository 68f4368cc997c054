"""Portal-only writes: inviting colleagues, removing representatives, feedback (Art 15).

Same rules as ``members.services``: one transaction each, rows locked, a ``DomainError`` with a
translated message when the action is refused (nothing is written then), e-mails after commit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, DomainError, PermissionDenied
from members.core.policy import Actor, authorize
from members.models import Document, Feedback, Invitation, JoinApplication, Organisation, Representative

INVITATION_VALID_FOR = timedelta(days=14)
MAX_OPEN_INVITATIONS = 20


def _lock_org(org: Organisation) -> Organisation:
    return Organisation.objects.select_for_update(no_key=True).get(pk=org.pk)


def open_invitations(org: Organisation) -> Any:
    since = clock.now() - INVITATION_VALID_FOR
    return org.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, created_at__gte=since)


@transaction.atomic
def invitation_send(actor: Actor, org: Organisation, *, email: str) -> Invitation:
    """Invite a colleague by e-mail to act for ``org``; the link is e-mailed after commit."""
    authorize(actor, "invitation.send", org)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("请输入有效的邮箱地址。"), code="email_invalid", field="email") from exc
    org = _lock_org(org)
    if org.representatives.filter(user__email__iexact=email).exists():
        raise Conflict(_("该邮箱已是本单位代表。"), code="already_representative", field="email")
    if Representative.objects.filter(user__email__iexact=email).exists():
        raise Conflict(_("该邮箱已代表其他单位，一个账户只能代表一个单位。"), code="represents_other", field="email")
    pending = open_invitations(org)
    if pending.filter(email__iexact=email).exists():
        raise Conflict(_("已向该邮箱发出邀请，尚未接受。"), code="invitation_pending", field="email")
    if pending.count() >= MAX_OPEN_INVITATIONS:
        raise Conflict(_("待接受的邀请过多，请先撤销部分邀请。"), code="too_many_invitations", field="email")
    invitation = Invitation.objects.create(organisation=org, email=email, invited_by=actor.record_user)
    from members.audit import outbox

    from .tasks import invitation_email

    outbox.enqueue(invitation_email, invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(actor: Actor, invitation: Invitation) -> Invitation:
    inv = Invitation.objects.select_for_update(no_key=True).get(pk=invitation.pk)
    authorize(actor, "invitation.revoke", inv)
    if inv.accepted_at is not None or inv.revoked_at is not None:
        raise Conflict(_("该邀请已接受或已撤销。"), code="invitation_closed")
    inv.revoked_at = clock.now()
    inv.save(update_fields=["revoked_at"])
    return inv


@transaction.atomic
def invitation_accept(actor: Actor, token: str) -> Representative:
    """The invited account (same, verified e-mail address) becomes a representative of the organisation."""
    authorize(actor, "invitation.accept")
    user = actor.record_user
    inv = Invitation.objects.select_for_update(no_key=True).select_related("organisation").filter(token=token).first()
    if inv is None or inv.revoked_at is not None or inv.created_at < clock.now() - INVITATION_VALID_FOR:
        raise DomainError(_("邀请链接无效或已过期，请联系本单位代表重新邀请。"), code="invitation_invalid")
    if inv.accepted_at is not None:
        raise Conflict(_("该邀请已被接受。"), code="invitation_used")
    if (getattr(user, "email", "") or "").lower() != inv.email.lower():
        raise PermissionDenied(
            _("该邀请发给 %(email)s，请使用该邮箱注册的账户登录后接受。") % {"email": inv.email},
            code="invitation_wrong_account",
        )
    if Representative.objects.filter(user=user).exists():
        raise Conflict(_("该账户已代表一个单位。"), code="already_representative")
    rep = Representative.objects.create(user=user, organisation=inv.organisation, is_primary=False)
    inv.accepted_at = clock.now()
    inv.save(update_fields=["accepted_at"])
    return rep


@transaction.atomic
def representative_remove(actor: Actor, org: Organisation, *, representative_id: int) -> None:
    """Remove a colleague's right to act for ``org``. The last representative cannot be removed."""
    authorize(actor, "representative.remove", org)
    org = _lock_org(org)
    rep = org.representatives.select_for_update().filter(pk=representative_id).first()
    if rep is None:
        raise DomainError(_("找不到该代表。"), code="not_found")
    if rep.user_id == getattr(actor.user, "pk", None):
        raise DomainError(_("不能移除自己。"), code="cannot_remove_self")
    if org.representatives.count() <= 1:
        raise DomainError(_("单位至少需要一位代表。"), code="last_representative")
    if rep.is_primary:
        successor = org.representatives.exclude(pk=rep.pk).order_by("created_at", "pk").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    rep.delete()


@transaction.atomic
def feedback_submit(actor: Actor, org: Organisation, *, subject: str, body: str) -> Feedback:
    """Art 15: a representative tells the executive body what to improve."""
    authorize(actor, "feedback.submit", org)
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise DomainError(_("请填写主题。"), code="subject_required", field="subject")
    if not body:
        raise DomainError(_("请填写内容。"), code="body_required", field="body")
    if len(subject) > 200:
        raise DomainError(_("主题不能超过200字。"), code="subject_too_long", field="subject")
    if len(body) > 5000:
        raise DomainError(_("内容不能超过5000字。"), code="body_too_long", field="body")
    return Feedback.objects.create(organisation=org, author=actor.record_user, subject=subject, body=body)


# --- The application form's one save ----------------------------------------------------------------

def application_save(actor: Actor, application: JoinApplication | None, *, data: dict[str, Any],
                     files: dict[str, Any], uscc: str = "") -> JoinApplication:
    """Save the whole application form at once: create the draft (or update it) and store its files.

    1. In one transaction, ``application_create`` (no ``application``) or ``application_update``,
       then ``document_upload`` for each chosen file; each service authorises the actor itself.
    2. If anything is refused, the transaction writes nothing and the files stored so far are deleted,
       so a refused save leaves neither rows nor stray files.
    """
    from members import services

    stored: list[Document] = []
    try:
        with transaction.atomic():
            if application is None:
                app = services.application_create(actor, uscc=uscc, data=data)
            else:
                app = services.application_update(actor, application, data=data)
            for kind, upload in files.items():
                stored.append(services.document_upload(actor, organisation=app.organisation, kind=kind,
                                                       upload=upload, application=app))
    except Exception:
        for doc in stored:
            doc.file.storage.delete(doc.file.name or "")
        raise
    return app
