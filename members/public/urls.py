"""The public site: home, member register and organisation profiles."""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
]
