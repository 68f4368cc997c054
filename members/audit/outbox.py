"""Transactional outbox: a queued task is a row first, sent after commit, re-sent by a sweeper.

``enqueue(task, *args)`` inside a service's transaction writes a QueuedTask row in that transaction.
After commit it is published; if the broker is down the row stays unsent (the request still
succeeds) and ``sweep()`` (beat, every minute) publishes it later. Tasks must be idempotent.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import QueuedTask

log = logging.getLogger("members.audit.outbox")


def enqueue(task: Any, *args: Any, **kwargs: Any) -> QueuedTask:
    name = task if isinstance(task, str) else task.name
    row = QueuedTask.objects.create(task=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: send(row.pk), robust=True)
    return row


def send(row_id: int) -> bool:
    """Publish one queued task; True when the broker accepted it."""
    row = QueuedTask.objects.filter(pk=row_id, sent_at__isnull=True).first()
    if row is None:
        return False
    QueuedTask.objects.filter(pk=row_id).update(attempts=row.attempts + 1)
    try:
        task = current_app.tasks.get(row.task)
        if task is not None:
            task.apply_async(args=row.args, kwargs=row.kwargs)
        else:
            current_app.send_task(row.task, args=row.args, kwargs=row.kwargs)
    except Exception as exc:  # kombu.exceptions.OperationalError, OSError, ...: keep the row for the sweeper
        log.warning("broker unavailable, task kept in outbox", extra={"task": row.task, "row": row_id})
        QueuedTask.objects.filter(pk=row_id).update(last_error=f"{type(exc).__name__}: {exc}"[:500])
        return False
    QueuedTask.objects.filter(pk=row_id, sent_at__isnull=True).update(sent_at=timezone.now(), last_error="")
    return True


def sweep(older_than: timedelta | None = None) -> int:
    """Send every queued task still unsent after ``older_than``; returns how many went out."""
    age = older_than if older_than is not None else timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS)
    cutoff = timezone.now() - age
    sent = 0
    for row_id in QueuedTask.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).values_list("pk",
                                                                                                      flat=True):
        sent += send(row_id)
    return sent
