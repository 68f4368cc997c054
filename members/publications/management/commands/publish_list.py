"""Publish a period's bulletin synchronously: ``manage.py publish_list --period YYYY-MM``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from members.core.errors import DomainError
from members.core.policy import SYSTEM
from members.publications.selectors import parse_period
from members.publications.services import file_path, publication_publish_sync


class Command(BaseCommand):
    help = "Create and render the bulletin of a period now; print the result as one JSON line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM, the first month of the period")
        parser.add_argument("--months", type=int, default=1, help="length of the period in months (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"], options["months"])
        except ValueError as exc:
            raise CommandError(f"--period must be YYYY-MM, not {options['period']!r}") from exc
        try:
            pub = publication_publish_sync(SYSTEM, period)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        result = {
            "number": pub.number,
            "period": pub.period_label,
            "period_start": pub.period_start.isoformat(),
            "period_end": pub.period_end.isoformat(),
            "status": pub.state,
            "pages": pub.page_count,
            "files": [{"kind": f.kind, "path": str(file_path(f)), "sha256": f.sha256, "size": f.size}
                      for f in pub.files.order_by("kind")],
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
