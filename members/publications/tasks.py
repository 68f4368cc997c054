"""Celery tasks for bulletins. Each takes an id (or a cadence), re-reads state and is safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError

from members.core import clock
from members.core.policy import SYSTEM

from .models import PublicationState
from .selectors import last_completed_period
from .services import (
    RENDER_SOFT_TIME_LIMIT,
    RENDER_TIME_LIMIT,
    STALE_CLAIM,
    publication_render,
    publication_request,
)

# Disk, database and killed-subprocess hiccups are worth another try; a template or data error is not.
TRANSIENT = (OSError, OperationalError)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=5,
             acks_late=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT)
def publication_render_task(self: Any, publication_id: int) -> str:
    """Render and publish one bulletin; a claim held by a live worker is left alone and checked later."""
    pub = publication_render(SYSTEM, publication_id)
    if pub.state == PublicationState.RENDERING:
        # Another worker holds the claim (or died holding it): look again once the claim would be stale.
        raise self.retry(countdown=int(STALE_CLAIM.total_seconds()), max_retries=3)
    return str(pub.state)


@shared_task(acks_late=True)
def publication_create_due(months: int = 1) -> int:
    """Beat: create the bulletin of the last completed period (``months`` long) and queue its render."""
    start, end = last_completed_period(clock.today(), months)
    pub, _created = publication_request(SYSTEM, period_start=start, period_end=end)
    if pub.state == PublicationState.QUEUED:
        publication_render_task.delay(pub.pk)  # harmless if already queued: the claim decides
    return pub.pk
