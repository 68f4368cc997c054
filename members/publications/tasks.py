"""Celery tasks for bulletins. Each takes an id (or a cadence), re-reads state and is safe to run twice.

No countdown or ETA retries (a delayed message lives only in the broker and the worker's memory, and is
lost or crashes the worker when the broker restarts). What must happen later is found in the database
by ``publications_resume`` (beat, every minute): a bulletin still queued whose message was lost, one
left "rendering" by a worker that died, one that failed for a transient reason and is due another try.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.db.models import Q

from members.core import clock

from .models import Publication, PublicationState
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
MAX_ATTEMPTS = 5
# A queued bulletin younger than this still has its own message on the way.
QUEUED_GRACE = timedelta(seconds=60)


@shared_task(acks_late=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT)
def publication_render_task(publication_id: int) -> str:
    """Render and publish one bulletin. A claim held by another worker is left alone (the resume job
    looks again once it would be stale); a transient failure puts the bulletin back in the queue."""
    try:
        pub = publication_render(publication_id)
    except TRANSIENT:
        Publication.objects.filter(pk=publication_id, state=PublicationState.FAILED,
                                   attempts__lt=MAX_ATTEMPTS).update(state=PublicationState.QUEUED)
        raise
    return str(pub.state)


@shared_task(acks_late=True)
def publications_resume() -> int:
    """Beat (every minute): queue the render of every bulletin that is waiting without a live message."""
    now = clock.now()
    due = Publication.objects.filter(
        Q(state=PublicationState.QUEUED, created_at__lt=now - QUEUED_GRACE)
        | Q(state=PublicationState.QUEUED, attempts__gt=0)
        | Q(state=PublicationState.RENDERING, claimed_at__lt=now - STALE_CLAIM)
    ).values_list("pk", flat=True)
    ids = list(due)
    for pk in ids:
        publication_render_task.delay(pk)  # the claim decides: a duplicate message renders nothing
    return len(ids)


@shared_task(acks_late=True)
def publication_create_due(months: int = 1) -> int:
    """Beat: create the bulletin of the last completed period (``months`` long) and queue its render."""
    start, end = last_completed_period(clock.today(), months)
    pub, _created = publication_request(period_start=start, period_end=end)
    if pub.state == PublicationState.QUEUED:
        publication_render_task.delay(pub.pk)  # harmless if already queued: the claim decides
    return pub.pk
