"""API endpoints of this app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("notices/", api.PublicNoticeListApi.as_view(), name="api-notices"),
    path("complaints/<int:pk>/transitions/", api.ComplaintTransitionApi.as_view(), name="api-complaint-transition"),
    path("cases/corrections/", api.CorrectionListApi.as_view(), name="api-corrections"),
    path("cases/corrections/<int:pk>/answer/", api.CorrectionAnswerApi.as_view(), name="api-correction-answer"),
    path("cases/disputes/", api.DisputeRequestApi.as_view(), name="api-dispute-request"),
]
