"""Export one organisation's data as JSON: ``manage.py export_org_data USCC [-o file]``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from members import uscc as uscc_rules
from members.audit import export
from members.audit.recorder import record
from members.models import Organisation


class Command(BaseCommand):
    help = "Export everything held about one organisation (by its USCC) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("uscc")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        code = uscc_rules.normalise(options["uscc"])
        org = Organisation.objects.filter(uscc=code).first()
        if org is None:
            raise CommandError(f"no organisation with USCC {code}")
        text = json.dumps(export.organisation_data(org), ensure_ascii=False, indent=2, cls=export.Encoder)
        record("export", model="members.organisation", object_id=org.pk, source="command",
               note="export_org_data")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        else:
            self.stdout.write(text)
