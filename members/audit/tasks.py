"""Beat jobs of the hardening app: retention, the outbox sweeper, and notifications left unsent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(acks_late=True)
def apply_retention() -> dict[str, int]:
    from .retention import apply_all

    return apply_all()


@shared_task(acks_late=True)
def sweep_outbox() -> dict[str, int]:
    """Re-send queued tasks the broker did not take, and notifications whose e-mail job was lost.

    ``members.services.notify`` stores the Notification row (emailed_at empty) in the service's
    transaction: that row is the job's intent, so one still unsent and unclaimed (or claimed by a worker
    that died mid-send) is queued again here. A lost message therefore costs one sweep interval.
    """
    from members.models import Notification
    from members.tasks import claimable_notifications, notification_email

    from .outbox import sweep

    sent = sweep()
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS)
    requeued = 0
    for note_id in Notification.objects.filter(claimable_notifications(), created_at__lte=cutoff,
                                               created_at__gte=now - timedelta(days=7)
                                               ).values_list("pk", flat=True)[:500]:
        try:
            notification_email.delay(note_id)
        except Exception:  # broker still down: the next sweep tries again
            break
        requeued += 1
    invitations = _requeue_invitations(cutoff)
    return {"outbox_sent": sent, "notifications_requeued": requeued, "invitations_requeued": invitations}


def _requeue_invitations(cutoff: Any) -> int:
    from members.models import Invitation
    from members.portal.tasks import invitation_email

    requeued = 0
    for pk in Invitation.objects.filter(emailed_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True,
                                        created_at__lte=cutoff, created_at__gte=cutoff - timedelta(days=7)
                                        ).values_list("pk", flat=True)[:500]:
        try:
            invitation_email.delay(pk)
        except Exception:  # broker still down: the next sweep tries again
            break
        requeued += 1
    return requeued
