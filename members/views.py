"""Views shared by every surface of the register."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from .core.policy import actor_from_request
from .selectors import document_for


@require_safe
@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A private document, only to staff who may view documents and the organisation's own representatives.

    Anyone else gets 404, so that a document's existence is not revealed either.
    """
    doc = document_for(actor_from_request(request), pk)
    if doc is None:
        raise Http404
    response = FileResponse(doc.file.open("rb"), as_attachment=True,
                            filename=f"{doc.kind}-{doc.pk}.{doc.content_type.rsplit('/', 1)[-1]}",
                            content_type=doc.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
