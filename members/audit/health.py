"""/health/: database, broker and both storages (django-health-check 4.x checks)."""

from __future__ import annotations

import dataclasses
import datetime

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (works for Redis and the embedded file-system broker)."""

    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        from convention.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:  # kombu raises several types; none may leak details
            raise ServiceUnavailable("broker unreachable") from exc


CHECKS = [
    "health_check.checks.Database",
    ("health_check.checks.Storage", {"alias": "private"}),
    ("health_check.checks.Storage", {"alias": "default"}),
    Broker,
    "members.publications.health.PdfFont",
]

health_view = HealthCheckView.as_view(checks=CHECKS)
