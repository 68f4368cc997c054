"""Public archive of bulletins."""

from django.urls import path

from . import views

app_name = "publications"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:number>/<str:kind>/", views.download, name="download"),
]
