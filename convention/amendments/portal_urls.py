"""Representatives' amendment pages, mounted at /portal/amendments/ (namespace "amendments")."""

from django.urls import path

from convention.amendments import portal_views as views

app_name = "amendments"
urlpatterns = [
    path("", views.index, name="index"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/sponsor/", views.proposal_sponsor, name="proposal_sponsor"),
    path("proposals/<int:pk>/unsponsor/", views.proposal_unsponsor, name="proposal_unsponsor"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("ballots/<int:pk>/", views.ballot_vote, name="ballot"),
]
