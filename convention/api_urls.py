"""Everything under /api/v1/: each app contributes its own endpoints."""

from django.urls import include, path

urlpatterns = [
    path("", include("members.api.urls")),
    path("portal/", include("members.api.portal_urls")),
    path("", include("members.publications.api_urls")),
    path("", include("members.transparency.api_urls")),
    path("", include("convention.text.api_urls")),
    path("", include("convention.amendments.api_urls")),
    path("", include("complaints.api.urls")),
    path("", include("members.audit.tokens.urls")),
]
