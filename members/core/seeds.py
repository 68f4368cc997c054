"""Rows the registry cannot run without, restored whenever they are missing.

Data migrations create them once (convention version 1, the beat schedules). A ``flush`` (which
every transactional test runs, and an operator may) empties every table and then sends
``post_migrate``: each app declares here what it needs, and one receiver recreates what is missing.
Existing rows are never changed, so staff's edits of a schedule (its time, enabled or not) stand;
a schedule that should not run is disabled in the admin, not deleted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

SEEDS: list[Callable[[], None]] = []


def declare(seed: Callable[[], None]) -> None:
    """Register ``seed`` (idempotent: it creates only what is missing) to run after every migrate/flush."""
    if seed not in SEEDS:
        SEEDS.append(seed)


def run_all(**kwargs: Any) -> None:
    for seed in SEEDS:
        seed()


def periodic_task(name: str, task: str, *, every_minutes: int | None = None, crontab: str | None = None,
                  kwargs: dict[str, Any] | None = None, description: str = "") -> None:
    """Create the beat task ``name`` unless it exists: every N minutes, or on ``crontab`` "m h dom mon dow"
    in Asia/Shanghai."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.filter(name=name).exists():
        return
    fields: dict[str, Any] = {"task": task, "enabled": True, "kwargs": json.dumps(kwargs or {}),
                              "description": description}
    if every_minutes is not None:
        fields["interval"], _ = IntervalSchedule.objects.get_or_create(every=every_minutes,
                                                                        period=IntervalSchedule.MINUTES)
    else:
        assert crontab is not None, "a schedule needs an interval or a crontab"
        minute, hour, day_of_month, month_of_year, day_of_week = crontab.split()
        fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year,
            day_of_week=day_of_week, timezone="Asia/Shanghai")
    PeriodicTask.objects.create(name=name, **fields)


def connect(app_config: Any) -> None:
    """Run the declared seeds once per migrate/flush (on the base app's ``post_migrate``)."""
    from django.db.models.signals import post_migrate

    post_migrate.connect(run_all, sender=app_config, dispatch_uid="members-core-seeds")
