"""Read-only API of Art 24: proposals and the full, recomputable tally of each ballot."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import amendment_selectors as selectors
from .amendment_models import Ballot


class ChangeOutput(serializers.Serializer):
    kind = serializers.CharField()
    article_number = serializers.IntegerField()
    new_text = serializers.CharField()


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    rationale = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    state = serializers.CharField()
    base_version = serializers.IntegerField(source="base_version.number")
    qualified_at = serializers.DateTimeField(allow_null=True)
    qualified_sponsors = serializers.IntegerField(allow_null=True)
    qualified_signatories = serializers.IntegerField(allow_null=True)
    resulting_version = serializers.IntegerField(source="resulting_version.number", allow_null=True, default=None)
    ballot = serializers.IntegerField(source="ballot.pk", allow_null=True, default=None)
    changes = ChangeOutput(many=True)


class NamedBallotOutput(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    choice = serializers.CharField(allow_null=True)
    cast_at = serializers.DateTimeField(allow_null=True)
    can_no_longer_vote = serializers.BooleanField()


class BallotOutput(serializers.Serializer):
    id = serializers.IntegerField()
    proposal = serializers.IntegerField(source="proposal_id")
    state = serializers.CharField()
    outcome = serializers.CharField()
    close_reason = serializers.CharField()
    opened_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    electorate_size = serializers.IntegerField(help_text="N, frozen at opening")
    electorate_sha256 = serializers.CharField(help_text="SHA-256 of the electorate list file")
    electorate_url = serializers.CharField()
    rule = serializers.CharField()
    yes_needed = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    lost = serializers.IntegerField(help_text="members of E who can no longer vote and have not voted")
    ballots = NamedBallotOutput(many=True)


def _ballot_data(request: Request, ballot: Ballot) -> dict[str, object]:
    from django.urls import reverse

    record = selectors.ballot_record(ballot)
    t = record["tally"]
    return {
        "id": ballot.pk, "proposal_id": ballot.proposal_id, "state": ballot.state, "outcome": ballot.outcome,
        "close_reason": ballot.close_reason, "opened_at": ballot.opened_at, "deadline": ballot.deadline,
        "closed_at": ballot.closed_at, "electorate_size": ballot.electorate_size,
        "electorate_sha256": ballot.electorate_sha256,
        "electorate_url": request.build_absolute_uri(reverse("convention:ballot_electorate", args=[ballot.pk])),
        "rule": record["rule"], "yes_needed": ballot.yes_needed,
        "yes": t.yes, "no": t.no, "abstain": t.abstain, "lost": t.lost,  # type: ignore[attr-defined]
        "ballots": record["rows"],
    }


class ProposalListApi(APIView):
    @extend_schema(responses=ProposalOutput(many=True))
    def get(self, request: Request) -> Response:
        proposals = selectors.public_proposals().select_related("base_version", "resulting_version") \
            .prefetch_related("changes")
        return Response(ProposalOutput(proposals, many=True).data)


class ProposalDetailApi(APIView):
    @extend_schema(responses=ProposalOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProposalOutput(get_object_or_404(selectors.public_proposals(), pk=pk)).data)


class BallotListApi(APIView):
    @extend_schema(responses=BallotOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(BallotOutput([_ballot_data(request, b) for b in selectors.public_ballots()], many=True).data)


class BallotDetailApi(APIView):
    @extend_schema(responses=BallotOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(BallotOutput(_ballot_data(request, get_object_or_404(Ballot, pk=pk))).data)


urlpatterns = [
    path("amendments/proposals/", ProposalListApi.as_view(), name="api-amendment-proposals"),
    path("amendments/proposals/<int:pk>/", ProposalDetailApi.as_view(), name="api-amendment-proposal"),
    path("amendments/ballots/", BallotListApi.as_view(), name="api-ballots"),
    path("amendments/ballots/<int:pk>/", BallotDetailApi.as_view(), name="api-ballot"),
]
