"""Public archive of bulletins."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "publications"
urlpatterns = [
    path("", TemplateView.as_view(template_name="publications/archive.html"), name="archive"),
]
