"""Public pages of the convention's text."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import current_version


def current(request: HttpRequest) -> HttpResponse:
    version = current_version()
    articles = version.articles.all() if version else []
    return render(request, "convention/version.html", {"version": version, "articles": articles})
