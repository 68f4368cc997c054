"""Celery tasks for bulletins. Each takes an id (or a cadence), re-reads state and is safe to run twice.

No task relies on the broker keeping a delayed message: a failed attempt is recorded on the row and
``publication_sweep_stuck`` (beat, every few minutes) finds from the database what is left to do.
"""

from __future__ import annotations

import json
import logging

from celery import shared_task

from members.core import clock
from members.core.errors import DomainError
from members.core.policy import SYSTEM

from .models import PublicationState
from .selectors import last_completed_period
from .services import (
    RENDER_SOFT_TIME_LIMIT,
    RENDER_TIME_LIMIT,
    TRANSIENT_ERRORS,
    publication_render,
    publication_request,
    publication_sweep_stuck,
)

logger = logging.getLogger(__name__)
CREATE_DUE_TASK = "members.publications.tasks.publication_create_due"


@shared_task(acks_late=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT)
def publication_render_task(publication_id: int) -> str:
    """Render and publish one bulletin; a claim held by a live worker is left alone (the sweep looks
    again once it is stale). A refused or transient failure is on the row; only surprises re-raise."""
    try:
        pub = publication_render(SYSTEM, publication_id)
    except (DomainError, *TRANSIENT_ERRORS) as exc:  # type: ignore[misc]
        logger.warning("bulletin %s not rendered: %s", publication_id, exc)
        from .models import Publication

        return str(Publication.objects.get(pk=publication_id).state)
    return str(pub.state)


@shared_task(acks_late=True)
def publication_create_due(months: int = 1) -> int:
    """Beat: create the bulletin of the last completed period (``months`` long) and queue its render."""
    start, end = last_completed_period(clock.today(), months)
    pub, _created = publication_request(SYSTEM, period_start=start, period_end=end)
    if pub.state == PublicationState.QUEUED:
        publication_render_task.delay(pub.pk)  # harmless if already queued: the claim decides
    return pub.pk


def _scheduled_months() -> int | None:
    """The cadence of the enabled "create due" beat row, or None if there is none."""
    from django_celery_beat.models import PeriodicTask

    row = PeriodicTask.objects.filter(task=CREATE_DUE_TASK, enabled=True).first()
    if row is None:
        return None
    try:
        return int(json.loads(row.kwargs or "{}").get("months", 1))
    except (ValueError, TypeError, AttributeError):
        return 1


@shared_task(acks_late=True)
def publication_sweep_stuck_task() -> dict[str, int]:
    """Beat: re-send or fail stuck bulletins, and create the last period's bulletin if beat missed it
    (down on the 1st); both from the database, idempotent, so one run after downtime catches up."""
    done = publication_sweep_stuck(SYSTEM)
    months = _scheduled_months()
    if months:
        start, end = last_completed_period(clock.today(), months)
        _pub, created = publication_request(SYSTEM, period_start=start, period_end=end)
        done["created"] = int(created)
    return done
