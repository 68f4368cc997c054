"""``manage.py verify_register``: recompute the public log from the database and the stored bulletins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from members.transparency.verification import verify_register


class Command(BaseCommand):
    help = "Recompute the public log from the database and the stored bulletins; exit 1 at the first divergence."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_register()
        if report.divergence:
            raise CommandError(f"divergence: {report.divergence}", returncode=1)
        self.stdout.write(f"all {report.entries} entries and {report.bulletins} bulletins agree; "
                          f"tree head size {report.entries}, root {report.root.hex()}")
