"""Public complaint form, tracking by code, and public notices."""

from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/filed/", views.report_done, name="report_done"),
    path("track/", views.track, name="track"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
]
