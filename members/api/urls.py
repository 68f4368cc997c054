"""API endpoints of the register, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("organizations/", views.public_read(views.OrganisationListApi.as_view()), name="api-organisation-list"),
    path("organizations/<str:uscc>/", views.public_read(views.OrganisationDetailApi.as_view()), name="api-organisation-detail"),
    path("organizations/<str:uscc>/status/", views.public_read(views.OrganisationStatusApi.as_view()),
         name="api-organisation-status"),
    path("applications/<int:pk>/start-review/", views.ApplicationStartReviewApi.as_view(),
         name="api-application-start-review"),
    path("applications/<int:pk>/verify-sealed-page/", views.ApplicationVerifySealedPageApi.as_view(),
         name="api-application-verify-sealed-page"),
    path("applications/<int:pk>/approve/", views.ApplicationApproveApi.as_view(), name="api-application-approve"),
    path("applications/<int:pk>/return/", views.ApplicationReturnApi.as_view(), name="api-application-return"),
    path("applications/<int:pk>/reject/", views.ApplicationRejectApi.as_view(), name="api-application-reject"),
    path("withdrawals/<int:pk>/acknowledge/", views.WithdrawalAcknowledgeApi.as_view(),
         name="api-withdrawal-acknowledge"),
]
