"""Scheduled jobs (beat PeriodicTasks are created in migration 0002). Each sweep finds ids and calls a
service that claims one row with a conditional UPDATE, so overlapping runs and retries do nothing twice.
No countdown retries: what a failed or lost run left undone is found by the next scheduled run."""

from __future__ import annotations

from celery import shared_task

from members.core import clock
from members.core.policy import SYSTEM

from . import services
from .models import Complaint, CorrectionOrder, CorrectionState


@shared_task(acks_late=True)
def correction_orders_flag_overdue() -> int:
    """Flag correction orders whose deadline has passed without a correction report."""
    ids = CorrectionOrder.objects.filter(
        state=CorrectionState.ISSUED, deadline__lt=clock.today(), overdue_flagged_at__isnull=True,
    ).values_list("pk", flat=True)
    return sum(services.correction_flag_overdue(SYSTEM, pk) for pk in list(ids))


@shared_task(acks_late=True)
def reporter_contacts_purge() -> int:
    """Erase reporters' contact details of cases decided longer ago than COMPLAINTS_REPORTER_RETENTION_DAYS."""
    ids = Complaint.objects.filter(
        decided_at__lt=services.reporter_retention_cutoff(), reporter_purged_at__isnull=True,
    ).values_list("pk", flat=True)
    return sum(services.reporter_contact_purge(SYSTEM, pk) for pk in list(ids))
