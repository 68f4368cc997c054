"""Notifications to an organisation's representatives, e-mailed through the outbox once committed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import (
    Notification,
    Organisation,
    roles_to_text,
)

# --- Notifications ----------------------------------------------------------------------------------

def notify(org: Organisation, kind: str, subject: Any, body: Any, link: str = "") -> Notification:
    """Record a notification and e-mail it through Celery (via the outbox) once the transaction has committed."""
    note = Notification.objects.create(organisation=org, kind=kind, subject=str(subject), body=str(body), link=link)
    from ..audit import outbox
    from ..tasks import notification_email

    outbox.enqueue(notification_email, note.pk)  # the intent is stored first: a broker outage loses nothing
    return note


def representatives_emails(org: Organisation) -> list[str]:
    return list(org.representatives.filter(user__is_active=True).values_list("user__email", flat=True))


def bulk_roles(values: Iterable[str]) -> str:
    return roles_to_text(list(values))
