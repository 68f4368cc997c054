"""Print the policy table (who may perform each action) as Markdown, from the one table the services use."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from members.core.policy import table_rows


class Command(BaseCommand):
    help = "Print who may perform each action of the registry (the one policy table), as a Markdown table."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("| action | who may | implies |\n|---|---|---|")
        for action, who, implies in table_rows():
            self.stdout.write(f"| `{action}` | {who} | {implies} |")
