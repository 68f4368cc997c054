"""The bulletin font, reported by ``/health/`` and ``manage.py check`` (a bulletin without it is boxes)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.core import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .fonts import font_problems


@dataclasses.dataclass
class PdfFont(HealthCheck):
    """The configured CJK fonts resolve, through fontconfig, to the fonts themselves (not a fallback)."""

    timeout = datetime.timedelta(seconds=10)

    def run(self) -> None:
        problems = font_problems()
        if problems:
            raise ServiceUnavailable("; ".join(problems))


def check_pdf_fonts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A warning in every ``check`` (a missing font must not stop migrations), an error with ``--deploy``."""
    level = checks.Error if kwargs.get("deploy") else checks.Warning
    return [level(problem, hint="apt-get install fonts-noto-cjk fontconfig; REGISTRY_PDF_FONT names the family.",
                  id="publications.E001" if level is checks.Error else "publications.W001")
            for problem in font_problems()]


def check_pdf_fonts_deploy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return check_pdf_fonts(app_configs, deploy=True)
