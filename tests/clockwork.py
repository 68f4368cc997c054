"""Move the domain clock (``members.core.clock``) in tests, instead of sleeping or backdating events."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from members.core import clock


def local(day: date, at: time = time(10, 0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@contextlib.contextmanager
def at(moment: date | datetime) -> Iterator[None]:
    """Everything inside runs at ``moment`` (a date means 10:00 local time that day)."""
    when = moment if isinstance(moment, datetime) else local(moment)
    original = clock.now
    clock.now = lambda: when  # type: ignore[assignment]
    try:
        yield
    finally:
        clock.now = original  # type: ignore[assignment]


class MovingClock:
    """A clock a test sets and advances: ``clock.set(day)``, ``clock.advance(days=7)``."""

    def __init__(self, start: datetime) -> None:
        self.current = start
        self._original = clock.now
        clock.now = lambda: self.current  # type: ignore[assignment]

    def set(self, moment: date | datetime) -> None:
        self.current = moment if isinstance(moment, datetime) else local(moment)

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)

    def restore(self) -> None:
        clock.now = self._original  # type: ignore[assignment]
