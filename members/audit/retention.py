"""Retention rules (see PERSONAL_DATA.md): each returns how many rows it changed. Run daily by beat."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.core import clock
from members.models import Document, MembershipStatus, Organisation

from . import context


def delete_superseded_documents() -> int:
    """Replaced uploads are kept for RETENTION_SUPERSEDED_DOCUMENT_DAYS, then the file and row go.

    Documents whose hash an event records stay: the event only keeps the hash, the file is not needed
    to prove it, but an applied-for document that was never superseded is never touched.
    """
    cutoff = clock.now() - timedelta(days=settings.RETENTION_SUPERSEDED_DOCUMENT_DAYS)
    count = 0
    for doc in Document.objects.filter(superseded=True, uploaded_at__lt=cutoff).order_by("pk"):
        with transaction.atomic():
            name, storage = doc.file.name or "", doc.file.storage
            doc.delete()
            transaction.on_commit(partial(storage.delete, name))
        count += 1
    return count


def anonymise_former_members() -> int:
    """Contact persons of organisations that left more than RETENTION_FORMER_MEMBER_CONTACT_DAYS ago."""
    cutoff = clock.today() - timedelta(days=settings.RETENTION_FORMER_MEMBER_CONTACT_DAYS)
    count = 0
    stale = Organisation.objects.filter(
        status__in=[MembershipStatus.WITHDRAWN, MembershipStatus.REVOKED], left_on__lt=cutoff,
    ).exclude(contact_name="", contact_phone="", contact_email="")
    for org in stale:
        with transaction.atomic():
            org = Organisation.objects.select_for_update(no_key=True).get(pk=org.pk)
            org.contact_name = org.contact_phone = org.contact_email = ""
            org.save(update_fields=["contact_name", "contact_phone", "contact_email", "updated_at"])
        count += 1
    return count


def delete_old_login_attempts() -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = timezone.now() - timedelta(days=settings.RETENTION_LOGIN_ATTEMPT_DAYS)
    total = 0
    for model, field in ((AccessAttempt, "attempt_time"), (AccessLog, "attempt_time"),
                         (AccessFailureLog, "attempt_time")):
        deleted, _ = model.objects.filter(**{f"{field}__lt": cutoff}).delete()
        total += deleted
    return total


def apply_all() -> dict[str, int]:
    with context.acting(source="retention"):
        return {
            "superseded_documents_deleted": delete_superseded_documents(),
            "former_member_contacts_anonymised": anonymise_former_members(),
            "login_attempts_deleted": delete_old_login_attempts(),
        }
