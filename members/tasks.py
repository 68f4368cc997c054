"""Celery tasks of the register. Each takes an id, re-reads state and is safe to run twice.

No task retries itself with a countdown: a delayed message lives only in the broker and the worker's
memory and is lost with them. A notification whose e-mail did not go out stays unsent in the database,
and the outbox sweep (beat, every minute) queues it again.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification


def notification_message_id(note: Notification, language: str = settings.LANGUAGE_CODE) -> str:
    """The e-mail's idempotency key: the same Message-ID however often the e-mail is attempted, so a
    resend after a crash between "accepted" and "marked sent" is recognisable as the same message.
    Each language's version is a message of its own (the default language keeps the plain key)."""
    host = urlsplit(settings.SITE_URL).hostname or "registry.invalid"
    suffix = "" if language == settings.LANGUAGE_CODE else f".{language}"
    return f"<notification-{note.pk}.{int(note.created_at.timestamp())}{suffix}@{host}>"


def notification_messages(note: Notification, recipients: list[str]) -> list[EmailMessage]:
    """One e-mail per language among the recipients, subject and body rendered in that language."""
    from .accounts.services import languages_of

    messages = []
    for language, addresses in sorted(languages_of(recipients).items()):
        with translation.override(language):
            messages.append(EmailMessage(
                subject=_("[公约成员登记] %(subject)s") % {"subject": note.subject_text},
                body=render_to_string("email/notification.txt", {"note": note, "site_url": settings.SITE_URL}),
                to=addresses, headers={"Message-ID": notification_message_id(note, language),
                                       "Content-Language": language},
            ))
    return messages


def claimable_notifications() -> Q:
    """Unsent notifications that nobody holds, or whose holder never confirmed within the claim time
    (a worker killed mid-send)."""
    stale = timezone.now() - timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_SECONDS)
    return Q(emailed_at__isnull=True) & (Q(send_claimed_at__isnull=True) | Q(send_claimed_at__lt=stale))


@shared_task(acks_late=True)
def notification_email(notification_id: int) -> bool:
    """E-mail a notification to the organisation's active representatives, once.

    1. Claim it with a conditional UPDATE and a fresh token: a second delivery of the same task, or a
       sweep racing the first job, finds it claimed and sends nothing.
    2. Send it with its stable Message-ID.
    3. Only once the mail server accepted it, mark it sent (under our token). If sending fails the claim
       is released; if the worker dies, the claim goes stale. Either way the next sweep sends it again.
    """
    token = secrets.token_hex(16)
    claimed = Notification.objects.filter(claimable_notifications(), pk=notification_id).update(
        send_claim=token, send_claimed_at=timezone.now())
    if not claimed:
        return False
    note = Notification.objects.select_related("organisation").get(pk=notification_id)
    from .services import representatives_emails

    recipients = representatives_emails(note.organisation)
    if recipients:
        try:
            for message in notification_messages(note, recipients):
                message.send()
        except Exception:
            Notification.objects.filter(pk=notification_id, send_claim=token).update(send_claimed_at=None)
            raise
    # Nobody to write to counts as done: the notification is in the portal either way.
    Notification.objects.filter(pk=notification_id, send_claim=token).update(emailed_at=timezone.now())
    return bool(recipients)


@shared_task(acks_late=True)
def memberships_apply_due() -> int:
    """Beat job: every membership end that fell due takes effect (catches up after downtime, once)."""
    from .core.policy import SYSTEM
    from .history import memberships_apply_due as apply_due

    return apply_due(SYSTEM)
