"""Celery tasks of the register. Each takes an id, re-reads state and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8,
             acks_late=True)
def notification_email(self, notification_id: int) -> bool:  # type: ignore[no-untyped-def]
    """E-mail a notification to the organisation's active representatives, once."""
    from .services import representatives_emails

    # Claim it first so that a second delivery of the same message sends nothing.
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    note = Notification.objects.select_related("organisation").get(pk=notification_id)
    recipients = representatives_emails(note.organisation)
    if not recipients:
        return False
    context = {"note": note, "site_url": settings.SITE_URL}
    try:
        send_mail(
            subject=f"[公约成员登记] {note.subject}",
            message=render_to_string("email/notification.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    except OSError:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def memberships_apply_due() -> int:
    """Beat job: every membership end that fell due takes effect (catches up after downtime, once)."""
    from .history import memberships_apply_due as apply_due

    return apply_due()
