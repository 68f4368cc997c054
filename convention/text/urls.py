"""Public pages of the convention: the current text, earlier versions, differences.

Other features (amendment proposals, ballots) append their own paths to ``urlpatterns``.
"""

from django.urls import URLPattern, URLResolver, path

from convention.amendments import views as amendment_views
from convention.text import views

app_name = "convention"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.current, name="current"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.version, name="version"),
    path("diff/", views.diff, name="diff"),
    # Art 24: amendments and ballots
    path("amendments/", amendment_views.amendments, name="amendments"),
    path("amendments/<int:pk>/", amendment_views.proposal_detail, name="proposal"),
    path("ballots/<int:pk>/", amendment_views.ballot_detail, name="ballot"),
    path("ballots/<int:pk>/electorate.txt", amendment_views.ballot_electorate, name="ballot_electorate"),
]
