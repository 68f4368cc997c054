"""API endpoints of this app, mounted under /api/v1/."""

from django.urls import path

from complaints.api import views as api

urlpatterns = [
    path("notices/", api.PublicNoticeListApi.as_view(), name="api-notices"),
    path("complaints/<int:pk>/transitions/", api.ComplaintTransitionApi.as_view(), name="api-complaint-transition"),
    path("cases/corrections/", api.CorrectionListApi.as_view(), name="api-corrections"),
    path("cases/corrections/<int:pk>/answer/", api.CorrectionAnswerApi.as_view(), name="api-correction-answer"),
    path("cases/disputes/", api.DisputeRequestApi.as_view(), name="api-dispute-request"),
    path("cases/disputes/<int:pk>/", api.DisputeDetailApi.as_view(), name="api-dispute"),
    path("cases/disputes/<int:pk>/withdraw/", api.DisputeWithdrawApi.as_view(), name="api-dispute-withdraw"),
    path("disputes/<int:pk>/transitions/", api.DisputeTransitionApi.as_view(), name="api-dispute-transition"),
    path("complaints/<int:pk>/measures/", api.ComplaintMeasureApi.as_view(), name="api-complaint-measure"),
    path("corrections/<int:pk>/review/", api.CorrectionReviewApi.as_view(), name="api-correction-review"),
]
