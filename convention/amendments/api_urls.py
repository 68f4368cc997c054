"""API endpoints of Art 24, mounted under /api/v1/."""

from django.urls import path

from convention.amendments.api import (
    BallotCastApi,
    BallotDetailApi,
    BallotListApi,
    BallotOpenApi,
    ProposalCreateApi,
    ProposalDetailApi,
    ProposalExecutiveCreateApi,
    ProposalListApi,
    ProposalSponsorApi,
    ProposalSubmitApi,
    ProposalWithdrawApi,
    SponsorshipWithdrawApi,
)

urlpatterns = [
    path("amendments/proposals/", ProposalListApi.as_view(), name="api-amendment-proposals"),
    path("amendments/proposals/<int:pk>/", ProposalDetailApi.as_view(), name="api-amendment-proposal"),
    path("amendments/ballots/", BallotListApi.as_view(), name="api-ballots"),
    path("amendments/ballots/<int:pk>/", BallotDetailApi.as_view(), name="api-ballot"),
    path("amendments/proposals/create/", ProposalCreateApi.as_view(), name="api-amendment-proposal-create"),
    path("amendments/proposals/create-executive/", ProposalExecutiveCreateApi.as_view(),
         name="api-amendment-proposal-create-executive"),
    path("amendments/proposals/<int:pk>/submit/", ProposalSubmitApi.as_view(), name="api-amendment-proposal-submit"),
    path("amendments/proposals/<int:pk>/sponsor/", ProposalSponsorApi.as_view(),
         name="api-amendment-proposal-sponsor"),
    path("amendments/proposals/<int:pk>/withdraw-sponsorship/", SponsorshipWithdrawApi.as_view(),
         name="api-amendment-sponsorship-withdraw"),
    path("amendments/proposals/<int:pk>/withdraw/", ProposalWithdrawApi.as_view(),
         name="api-amendment-proposal-withdraw"),
    path("amendments/proposals/<int:pk>/open-ballot/", BallotOpenApi.as_view(), name="api-ballot-open"),
    path("amendments/ballots/<int:pk>/vote/", BallotCastApi.as_view(), name="api-ballot-vote"),
]
