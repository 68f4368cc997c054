"""Public pages under /verify/."""

from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("", views.how_to_verify, name="how"),
    path("verify_register.py", views.verifier_download, name="verifier"),
    path("verify_pdf.py", views.pdf_verifier_download, name="pdf_verifier"),
    path("executive-body.pem", views.signing_certificate, name="signing_certificate"),
    path("check/", views.check, name="check"),
    path("certificates/<str:number>/", views.certificate_page, name="certificate"),
    path("badge/<int:pk>.svg", views.badge, name="badge"),
]
