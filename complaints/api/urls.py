"""API endpoints of this app, mounted under /api/v1/: one URL per action."""

from django.urls import path

from complaints.api import officers
from complaints.api import views as api

urlpatterns = [
    path("notices/", api.PublicNoticeListApi.as_view(), name="api-notices"),
    # Representatives: their organisation's correction orders and disputes.
    path("cases/corrections/", api.CorrectionListApi.as_view(), name="api-corrections"),
    path("cases/corrections/<int:pk>/answer/", api.CorrectionAnswerApi.as_view(), name="api-correction-answer"),
    path("cases/disputes/", api.DisputeRequestApi.as_view(), name="api-dispute-request"),
    path("cases/disputes/<int:pk>/", api.DisputeDetailApi.as_view(), name="api-dispute"),
    path("cases/disputes/<int:pk>/withdraw/", api.DisputeWithdrawApi.as_view(), name="api-dispute-withdraw"),
    # Complaint officers.
    path("complaints/<int:pk>/start-verification/", officers.ComplaintStartVerificationApi.as_view(),
         name="api-complaint-start-verification"),
    path("complaints/<int:pk>/close-unfounded/", officers.ComplaintCloseUnfoundedApi.as_view(),
         name="api-complaint-close-unfounded"),
    path("complaints/<int:pk>/substantiate/", officers.ComplaintSubstantiateApi.as_view(),
         name="api-complaint-substantiate"),
    path("complaints/<int:pk>/assign/", officers.ComplaintAssignApi.as_view(), name="api-complaint-assign"),
    path("complaints/<int:pk>/notes/", officers.ComplaintNoteApi.as_view(), name="api-complaint-note"),
    path("complaints/<int:pk>/correction-orders/", officers.CorrectionIssueApi.as_view(),
         name="api-complaint-correction-order"),
    path("complaints/<int:pk>/internal-notices/", officers.InternalNoticeIssueApi.as_view(),
         name="api-complaint-internal-notice"),
    path("complaints/<int:pk>/revoke-membership/", officers.ComplaintRevokeMembershipApi.as_view(),
         name="api-complaint-revoke-membership"),
    path("corrections/<int:pk>/accept/", officers.CorrectionAcceptApi.as_view(), name="api-correction-accept"),
    path("corrections/<int:pk>/escalate/", officers.CorrectionEscalateApi.as_view(), name="api-correction-escalate"),
    path("disputes/<int:pk>/start-mediation/", officers.DisputeStartMediationApi.as_view(),
         name="api-dispute-start-mediation"),
    path("disputes/<int:pk>/steps/", officers.DisputeStepApi.as_view(), name="api-dispute-step"),
    path("disputes/<int:pk>/settle/", officers.DisputeSettleApi.as_view(), name="api-dispute-settle"),
    path("disputes/<int:pk>/not-settle/", officers.DisputeNotSettleApi.as_view(), name="api-dispute-not-settle"),
    path("disputes/<int:pk>/withdraw/", officers.DisputeWithdrawOnBehalfApi.as_view(),
         name="api-dispute-withdraw-on-behalf"),
]
