"""Public pages under /verify/."""

from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("", views.how_to_verify, name="how"),
    path("verify_register.py", views.verifier_download, name="verifier"),
]
