"""Portal views: every query is scoped to the representative's own organisation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.selectors import representative_of


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "members/portal_dashboard.html", {"organisation": representative_of(request.user)})
