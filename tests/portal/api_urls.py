"""The root URLs plus the representatives' API, mounted as the lead will mount it at merge."""

from django.urls import include, path

from convention.urls import urlpatterns as root

urlpatterns = [path("api/v1/portal/", include("members.api.portal_urls")), *root]
