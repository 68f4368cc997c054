"""Public pages of the log: how to verify, and the standalone verifier as a download."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors

VERIFIER = Path(__file__).with_name("verify_register.py")


@require_safe
def how_to_verify(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/how.html", {
        "head": selectors.head(), "site_url": settings.SITE_URL,
        "verifier_sha256": selectors.file_sha256(VERIFIER),
    })


@require_safe
def verifier_download(request: HttpRequest) -> HttpResponse:
    """The standalone verifier, byte for byte the file in the repository (stable URL)."""
    response = HttpResponse(VERIFIER.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify_register.py"'
    response["X-Content-SHA256"] = selectors.file_sha256(VERIFIER)
    return response
