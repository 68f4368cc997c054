"""Public pages of the log: how to verify, and the standalone verifier as a download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from members.core.errors import DomainError, PermissionDenied
from members.models import MembershipStatus, Organisation
from members.selectors import representative_of

from . import certificates, selectors, signing

VERIFIER = Path(__file__).with_name("verify_register.py")
PDF_VERIFIER = Path(__file__).with_name("verify_pdf.py")


@require_safe
def how_to_verify(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/how.html", {
        "head": selectors.head(), "site_url": settings.SITE_URL,
        "verifier_sha256": selectors.file_sha256(VERIFIER), "pdf_verifier_sha256": selectors.file_sha256(PDF_VERIFIER),
        "signing": signing.identity(),
    })


def _python_file(path: Path) -> HttpResponse:
    """A standalone verifier, byte for byte the file in the repository (stable URL)."""
    response = HttpResponse(path.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    response["X-Content-SHA256"] = selectors.file_sha256(path)
    return response


@require_safe
def verifier_download(request: HttpRequest) -> HttpResponse:
    return _python_file(VERIFIER)


@require_safe
def pdf_verifier_download(request: HttpRequest) -> HttpResponse:
    return _python_file(PDF_VERIFIER)


@require_safe
def signing_certificate(request: HttpRequest) -> HttpResponse:
    """The executive body's signing certificate (and its chain), PEM: what ``verify_pdf.py`` trusts."""
    from cryptography.hazmat.primitives import serialization

    ident = signing.identity()
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (ident.certificate, *ident.chain))
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="executive-body.pem"'
    response["X-Key-SHA256"] = ident.key_sha256
    return response


# --- Member certificates and instant verification ------------------------------------------------------

def _answer_page(request: HttpRequest, answer: Any, query: str = "", status: int = 200) -> HttpResponse:
    return render(request, "transparency/check.html", {"answer": answer, "query": query,
                                                        "statuses": dict(MembershipStatus.choices)}, status=status)


@require_safe
def certificate_page(request: HttpRequest, number: str) -> HttpResponse:
    """Where a certificate's QR code leads: genuine or not, and the organisation's status today."""
    answer = certificates.verify_certificate_number(number)
    return _answer_page(request, answer, number, status=200 if answer.genuine else 404)


@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Check a certificate number or a SHA-256 (GET ?q=), or an uploaded file (POST)."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > settings.UPLOAD_MAX_BYTES:
            return _answer_page(request, None, status=400)
        return _answer_page(request, certificates.verify_file(upload.read()), upload.name or "")
    query = request.GET.get("q", "").strip()
    if not query:
        return _answer_page(request, None)
    if len(query) == 64 and all(c in "0123456789abcdefABCDEF" for c in query):
        return _answer_page(request, certificates.verify_sha256(query), query)
    return _answer_page(request, certificates.verify_certificate_number(query), query)


BADGE_COLOURS = {"signatory": "#1a7f37", "withdrawn": "#6e7781", "revoked": "#b42318", "none": "#6e7781"}


@require_safe
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """A small SVG that always shows the organisation's live status (cached one minute at most)."""
    org = Organisation.objects.filter(pk=pk).only("id", "status").first()
    if org is None:
        raise Http404
    label = str(_("公约成员"))
    status_text = str(dict(MembershipStatus.choices)[org.status])
    svg = render_to_string("transparency/badge.svg", {
        "label": label, "status": status_text, "colour": BADGE_COLOURS.get(org.status, "#6e7781"),
        "label_width": 13 * len(label) + 12, "status_width": 13 * len(status_text) + 12,
        "total": 13 * (len(label) + len(status_text)) + 24, "status_x": 13 * len(label) + 18,
    })
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def certificate_download(request: HttpRequest) -> HttpResponse:
    """The portal's download of the organisation's signed certificate (入约证书)."""
    org = representative_of(request.user)
    try:
        if org is None:
            raise PermissionDenied(_("只有本单位的代表可以下载入约证书。"))
        cert = certificates.certificate_issue(org, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:dashboard")
    response = HttpResponse(certificates.certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
