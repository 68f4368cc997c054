"""Views shared by every surface of the register."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .models import Document
from .selectors import document_visible_to


@require_safe
@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A private document, only to staff who may view documents and the organisation's own representatives.

    Anyone else gets 404, so that a document's existence is not revealed either.
    """
    doc = get_object_or_404(Document.objects.select_related("organisation"), pk=pk)
    if not document_visible_to(doc, request.user):
        raise Http404
    response = FileResponse(doc.file.open("rb"), as_attachment=True,
                            filename=f"{doc.kind}-{doc.pk}.{doc.content_type.rsplit('/', 1)[-1]}",
                            content_type=doc.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
