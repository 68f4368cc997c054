"""The member companies' portal."""

from django.urls import path

from members.accounts import views as account_views
from members.audit.tokens import portal as token_views
from members.transparency import views as transparency_views

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("apply/", views.application_new, name="apply"),
    path("reapply/", views.application_reapply, name="reapply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/signature-page.pdf", views.signature_page, name="signature_page"),
    path("withdrawal/", views.withdrawal_new, name="withdrawal_new"),
    path("withdrawals/<int:pk>/", views.withdrawal_detail, name="withdrawal"),
    path("withdrawals/<int:pk>/cancel/", views.withdrawal_cancel, name="withdrawal_cancel"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_detail, name="notification"),
    path("team/", views.team, name="team"),
    path("team/<int:pk>/remove/", views.representative_remove, name="representative_remove"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("feedback/", views.feedback, name="feedback"),
    path("settings/", account_views.account_settings, name="settings"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("certificate.pdf", transparency_views.certificate_download, name="certificate"),
]

