"""The pre-filled signature page, rendered with WeasyPrint to print, seal and scan."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from convention.text.selectors import current_version
from members.core import clock
from members.models import JoinApplication

CSS_PATH = Path(__file__).with_name("signature_page.css")


def signature_page_pdf(application: JoinApplication) -> bytes:
    from weasyprint import CSS, HTML

    org = application.organisation
    # The page is a legal document: always Chinese, whatever language the representative browses in.
    with translation.override("zh-hans"):
        html = render_to_string("pdf/signature_page.html", {
            "organisation": org, "application": application, "version": current_version(),
            "today": clock.today(),
        })
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(CSS_PATH))])  # type: ignore[no-any-return]
