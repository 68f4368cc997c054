"""Public pages of the convention: the current text, earlier versions, differences."""

from django.urls import path

from . import views

app_name = "convention"
urlpatterns = [
    path("", views.current, name="current"),
]
