"""Views shared by every surface of the register."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from .core.policy import actor_from_request, allows
from .models import Document
from .selectors import document_for


@require_safe
@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """A private document, only to staff who may view documents and the organisation's own representatives.

    Anyone else gets 404, so that a document's existence is not revealed either.
    """
    actor = actor_from_request(request)
    doc = document_for(actor, pk)
    if doc is None:
        raise Http404
    if request.GET.get("preview") and allows(actor, "document.preview", doc):
        return _preview(doc)
    response = FileResponse(doc.file.open("rb"), as_attachment=True,
                            filename=f"{doc.kind}-{doc.pk}.{doc.content_type.rsplit('/', 1)[-1]}",
                            content_type=doc.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


PREVIEW_TYPES = {"image/png", "image/jpeg"}
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"  # poppler-utils (.ci/system-packages.sh)


def _preview(doc: Document) -> HttpResponse:
    """Staff see a document inline before verifying it: an image as it is, a PDF's first page as a PNG
    drawn by poppler's pdftoppm (an <img> needs no framing, so the CSP stays as strict as it is)."""
    with doc.file.open("rb") as f:
        data = f.read()
    if doc.content_type in PREVIEW_TYPES:
        body, content_type = data, doc.content_type
    elif doc.content_type == "application/pdf":
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "doc.pdf"
            src.write_bytes(data)
            done = subprocess.run(  # noqa: S603 - a fixed program on our own temporary paths
                [PDFTOPPM, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(src), str(Path(tmp) / "p")],
                capture_output=True, timeout=30, check=False)
            out = Path(tmp) / "p.png"
            if done.returncode != 0 or not out.exists():
                raise Http404
            body, content_type = out.read_bytes(), "image/png"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
