"""Check unified social credit codes: ``check_uscc CODE ...`` or ``check_uscc -`` (one a line on stdin)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from members import uscc


class Command(BaseCommand):
    help = "Check unified social credit codes (GB 32100-2015, with the embedded GB 11714 check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="+", help="codes to check, or - to read one per line from stdin")
        parser.add_argument("--lang", default="zh-hans", help="language of the reasons (zh-hans or en)")

    def handle(self, *args: Any, codes: list[str], lang: str, **options: Any) -> None:
        if codes == ["-"]:
            codes = [line for line in (raw.strip() for raw in sys.stdin) if line]
        invalid = 0
        with translation.override(lang):
            for raw in codes:
                result = uscc.check(raw)
                if result.valid:
                    self.stdout.write(f"{result.code}\tvalid")
                else:
                    invalid += 1
                    self.stdout.write(f"{result.code or raw}\tinvalid\t{result.reason}")
        if invalid:
            sys.exit(1)
