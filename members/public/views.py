"""Public pages of the register. Only public fields ever reach these templates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.selectors import current_signatories


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "members/home.html", {"signatory_count": current_signatories().count()})


def register(request: HttpRequest) -> HttpResponse:
    orgs = current_signatories().order_by("name")[:50]
    return render(request, "members/register.html", {"organisations": orgs})
