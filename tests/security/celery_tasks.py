"""Test-only Celery tasks, loaded by the workers the fault tests start (``celery worker --include``)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(bind=True, acks_late=True, name="tests.security.celery_tasks.slow_claim")
def slow_claim(self, marker_id: int, seconds: float = 0.0) -> bool:  # type: ignore[no-untyped-def]
    """The shape of a real job (claim, work, finish) for the killed-worker test.

    Claims the QueuedTask row ``marker_id`` with a conditional UPDATE only when it is finished, so a
    worker killed during the work leaves it unclaimed and a redelivery completes it exactly once.
    """
    import time

    from members.audit.models import QueuedTask

    if QueuedTask.objects.filter(pk=marker_id, sent_at__isnull=False).exists():
        return False
    time.sleep(seconds)
    return bool(QueuedTask.objects.filter(pk=marker_id, sent_at__isnull=True).update(sent_at=timezone.now()))
