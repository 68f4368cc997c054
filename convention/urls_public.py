"""Public pages of the convention: the current text, earlier versions, differences."""

from django.urls import path

from . import amendment_views, views

app_name = "convention"
urlpatterns = [
    path("", views.current, name="current"),
    # Art 24: amendments and ballots
    path("amendments/", amendment_views.amendments, name="amendments"),
    path("amendments/<int:pk>/", amendment_views.proposal_detail, name="proposal"),
    path("ballots/<int:pk>/", amendment_views.ballot_detail, name="ballot"),
    path("ballots/<int:pk>/electorate.txt", amendment_views.ballot_electorate, name="ballot_electorate"),
]
