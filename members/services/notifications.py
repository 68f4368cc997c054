"""Notifications to an organisation's representatives, e-mailed through the outbox once committed."""

from __future__ import annotations

from collections.abc import Iterable

from members.core.texts import Text, split

from ..models import (
    Notification,
    Organisation,
    roles_to_text,
)

# --- Notifications ----------------------------------------------------------------------------------

def notify(org: Organisation, kind: str, subject: Text | str, body: Text | str, link: str = "") -> Notification:
    """Record a notification and e-mail it through Celery (via the outbox) once the transaction has committed.

    ``subject`` and ``body`` are coded texts (shown and e-mailed in each reader's language) or free text
    typed by staff. The two share one set of parameters.
    """
    subject_code, subject_params, subject_text = split(subject)
    body_code, body_params, body_text = split(body)
    if set(subject_params) & set(body_params) and any(
            subject_params[k] != body_params[k] for k in set(subject_params) & set(body_params)):
        raise ValueError("a notification's subject and body disagree on a parameter")
    note = Notification.objects.create(
        organisation=org, kind=kind, subject=subject_text, body=body_text, link=link, subject_code=subject_code,
        body_code=body_code, params={**subject_params, **body_params})
    from ..audit import outbox
    from ..tasks import notification_email

    outbox.enqueue(notification_email, note.pk)  # the intent is stored first: a broker outage loses nothing
    return note


def representatives_emails(org: Organisation) -> list[str]:
    return list(org.representatives.filter(user__is_active=True).values_list("user__email", flat=True))


def bulk_roles(values: Iterable[str]) -> str:
    return roles_to_text(list(values))
