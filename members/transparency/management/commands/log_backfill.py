"""``manage.py log_backfill``: log the public facts that have no entry yet (``migrate`` also does it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from members.transparency.services import log_backfill


class Command(BaseCommand):
    help = "Append a public log entry for every public fact that has none yet, oldest first."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{log_backfill()} entries appended")
