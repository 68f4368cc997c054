"""The staff login and second-factor pages, mounted at /security/ (namespace ``two_factor``, which the
package's views reverse)."""

from django.urls import path
from two_factor.views import QRGeneratorView

from . import views

app_name = "two_factor"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("setup/", views.EnrolView.as_view(), name="setup"),
    path("setup/qrcode/", QRGeneratorView.as_view(), name="qr"),
    path("setup/complete/", views.setup_complete, name="setup_complete"),
    path("backup-codes/", views.backup_codes, name="backup_tokens"),
    path("", views.profile, name="profile"),
]
