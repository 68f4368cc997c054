"""Portal e-mails sent by Celery. Each task takes an id and is safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from members.accounts.services import language_of


def invitation_language(invitation: Any) -> str:
    """The language the invitee chose if the address already has an account, else the inviter's."""
    from members.accounts.models import AccountPreference

    chosen = AccountPreference.objects.filter(user__email__iexact=invitation.email).values_list(
        "language", flat=True).first()
    if chosen:
        return chosen
    return language_of(invitation.invited_by) if invitation.invited_by is not None else settings.LANGUAGE_CODE


@shared_task(acks_late=True)
def invitation_email(invitation_id: int) -> bool:
    """E-mail an invitation link, unless it was sent, revoked or accepted meanwhile.

    Marked sent only after the mail server accepted it; a failure leaves it for the outbox sweep (no
    countdown retry: see members.tasks). Two deliveries racing may both send it: a repeated invitation
    link is harmless, a lost one is not.
    """
    from django.utils import timezone

    from members.models import Invitation

    inv = Invitation.objects.select_related("organisation").filter(
        pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True, emailed_at__isnull=True,
    ).first()
    if inv is None:
        return False
    context = {
        "invitation": inv,
        "url": settings.SITE_URL + reverse("portal:invitation_accept", args=[inv.token]),
        "signup_url": settings.SITE_URL + reverse("account_signup"),
    }
    with translation.override(invitation_language(inv)):
        send_mail(
            subject=_("[公约成员登记] %(subject)s") % {
                "subject": _("%(org)s 邀请您成为单位代表") % {"org": inv.organisation.name}},
            message=render_to_string("members/portal/email/invitation.txt", context),
            from_email=None,
            recipient_list=[inv.email],
        )
    Invitation.objects.filter(pk=invitation_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True
