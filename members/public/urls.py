"""The public site: home, member register, organisation profiles, downloads and the changes feed."""

import os

from django.conf import settings
from django.urls import URLPattern, URLResolver, path

from . import exports, on_date, views

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/on/", on_date.signatories_on_date, name="on_date"),
    path("register/<int:pk>/", views.profile, name="profile"),
    path("register/export.csv", exports.export_csv, name="export_csv"),
    path("register/export.json", exports.export_json, name="export_json"),
    path("register/feed.atom", exports.membership_feed, name="feed"),
]

if settings.DEBUG or os.environ.get("REGISTRY_BENCH_FLOOR") == "1":
    urlpatterns.append(path("bench/floor/", views.bench_floor, name="bench_floor"))
