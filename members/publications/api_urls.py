"""API endpoints of this app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from . import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("bulletins/", api.PublicationListApi.as_view(), name="api-bulletin-list"),
    path("bulletins/publish-now/", api.PublicationPublishNowApi.as_view(), name="api-bulletin-publish-now"),
    path("bulletins/<int:number>/", api.PublicationDetailApi.as_view(), name="api-bulletin-detail"),
    path("bulletins/<int:number>/requeue/", api.PublicationRequeueApi.as_view(), name="api-bulletin-requeue"),
]
