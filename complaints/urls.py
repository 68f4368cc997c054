"""Public complaint form, tracking by code, and public notices."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "complaints"
urlpatterns = [
    path("report/", TemplateView.as_view(template_name="complaints/report.html"), name="report"),
    path("notices/", TemplateView.as_view(template_name="complaints/notices.html"), name="notices"),
]
