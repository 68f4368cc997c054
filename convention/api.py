"""API endpoints of the convention's text, amendments and ballots, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = []

urlpatterns.append(path("", include("convention.amendment_api")))
