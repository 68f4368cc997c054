"""Public pages of the convention: the current text, earlier versions, differences.

Other features (amendment proposals, ballots) append their own paths to ``urlpatterns``.
"""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "convention"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.current, name="current"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.version, name="version"),
    path("diff/", views.diff, name="diff"),
]
