"""Times as the register shows them: in the domain's zone (Asia/Shanghai), with the zone named.

The zone is ``settings.TIME_ZONE`` whatever zone a request or worker activated, so a history row reads
the same for every reader; "北京时间" names it in Chinese, "China Standard Time, UTC+8" in English.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .texts import Text, text

FORMAT = "%Y-%m-%d %H:%M"


def in_zone(value: datetime) -> datetime:
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)) if timezone.is_aware(value) else value


def local_time_text(value: datetime, fmt: str = FORMAT) -> Text:
    """The time in the domain's zone with the zone named, as a coded text (for stored parameters too)."""
    return text("time.local", time=in_zone(value).strftime(fmt))


def local_time(value: datetime | None, fmt: str = FORMAT) -> str:
    return str(local_time_text(value, fmt)) if value is not None else ""
