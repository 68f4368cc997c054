"""Representatives' API. The lead mounts it under /api/v1/: path("portal/", include("members.api.portal_urls"))."""

from django.urls import path

from . import portal

app_name = "portal_api"
urlpatterns = [
    path("applications/", portal.ApplicationListCreate.as_view(), name="applications"),
    path("applications/<int:pk>/", portal.ApplicationDetail.as_view(), name="application"),
    path("applications/<int:pk>/documents/", portal.ApplicationDocumentUpload.as_view(), name="application_documents"),
    path("applications/<int:pk>/submit/", portal.ApplicationSubmit.as_view(), name="application_submit"),
    path("withdrawals/", portal.WithdrawalListCreate.as_view(), name="withdrawals"),
    path("withdrawals/<int:pk>/", portal.WithdrawalDetail.as_view(), name="withdrawal"),
    path("invitations/", portal.InvitationListCreate.as_view(), name="invitations"),
    path("invitations/<int:pk>/revoke/", portal.InvitationRevoke.as_view(), name="invitation_revoke"),
    path("feedback/", portal.FeedbackCreate.as_view(), name="feedback"),
    path("notifications/", portal.NotificationList.as_view(), name="notifications"),
    path("applications/reapply/", portal.ApplicationReapplyApi.as_view(), name="application_reapply"),
    path("withdrawals/<int:pk>/cancel/", portal.WithdrawalCancelApi.as_view(), name="withdrawal_cancel"),
    path("representatives/", portal.RepresentativeListApi.as_view(), name="representatives"),
    path("representatives/<int:pk>/remove/", portal.RepresentativeRemoveApi.as_view(),
         name="representative_remove"),
    path("notifications/<int:pk>/", portal.NotificationDetailApi.as_view(), name="notification"),
]
