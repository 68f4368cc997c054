"""Portal e-mails sent by Celery. Each task takes an id and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8,
             acks_late=True)
def invitation_email(self, invitation_id: int) -> bool:  # type: ignore[no-untyped-def]
    """E-mail an invitation link, unless it was revoked or accepted meanwhile."""
    from members.models import Invitation

    inv = Invitation.objects.select_related("organisation").filter(
        pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if inv is None:
        return False
    context = {
        "invitation": inv,
        "url": settings.SITE_URL + reverse("portal:invitation_accept", args=[inv.token]),
        "signup_url": settings.SITE_URL + reverse("account_signup"),
    }
    send_mail(
        subject=f"[公约成员登记] {inv.organisation.name} 邀请您成为单位代表",
        message=render_to_string("members/portal/email/invitation.txt", context),
        from_email=None,
        recipient_list=[inv.email],
    )
    return True
