"""The one clock the domain reads, so that tests can move time (``monkeypatch`` ``clock.now``)."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localtime(now()).date()
