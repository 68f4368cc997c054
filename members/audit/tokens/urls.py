"""API token endpoints, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("tokens/", api.TokenListCreateApi.as_view(), name="api-token-list"),
    path("tokens/<int:pk>/revoke/", api.TokenRevokeApi.as_view(), name="api-token-revoke"),
]
