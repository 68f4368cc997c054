"""Public archive of bulletins and the download of their files. Only published bulletins are shown."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import PublicationFile
from .selectors import published_file, published_publications
from .services import file_path


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "publications/archive.html", {"publications": published_publications()})


@require_safe
def download(request: HttpRequest, number: int, kind: str) -> FileResponse:
    if kind not in PublicationFile.Kind.values:
        raise Http404
    f = published_file(number, kind)
    if f is None:
        raise Http404
    path = file_path(f)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=f.content_type)
    response["X-Content-SHA256"] = f.sha256
    response["Cache-Control"] = "public, max-age=86400, immutable"
    return response
