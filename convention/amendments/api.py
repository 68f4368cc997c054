"""API of Art 24: proposals and the full, recomputable tally of each ballot (public reads), and every
representative's and staff member's action on the same services and permissions as the portal and admin.

Representatives act for their own organisation (token or browser session); staff need the Django model
permission the admin asks for the same action. A draft is visible only to its organisation's
representatives and to staff who may change proposals: anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from convention.amendments import selectors, services
from convention.amendments.models import (
    Ballot,
    BallotState,
    Proposal,
    ProposalChange,
    VoteChoice,
)
from members.api.serializers import ErrorOutput, StrictCharField
from members.core.policy import actor_from_request


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
    lapsed = serializers.BooleanField(help_text="a yes whose voter's membership ended while the ballot was open")
    membership_ended_on = serializers.DateField(allow_null=True)
    membership_end_kind = serializers.CharField(allow_null=True, help_text="withdrew | revoked")


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
    lapsed = serializers.IntegerField(help_text="yes votes that lapsed: not consent")
    ballots = NamedBallotOutput(many=True)


def _ballot_data(request: Request, ballot: Ballot) -> dict[str, object]:
    from django.urls import reverse

    record = selectors.ballot_record(ballot)
    t = record["tally"]
    return {
        # A ballot past its deadline is closed, with its outcome from the record, before the job has run.
        "id": ballot.pk, "proposal_id": ballot.proposal_id,
        "state": BallotState.CLOSED if record["status"].closed else BallotState.OPEN,  # type: ignore[attr-defined]
        "outcome": record["status"].outcome,  # type: ignore[attr-defined]
        "close_reason": ballot.close_reason, "opened_at": ballot.opened_at, "deadline": ballot.deadline,
        "closed_at": ballot.closed_at, "electorate_size": ballot.electorate_size,
        "electorate_sha256": ballot.electorate_sha256,
        "electorate_url": request.build_absolute_uri(reverse("convention:ballot_electorate", args=[ballot.pk])),
        "rule": record["rule"], "yes_needed": ballot.yes_needed,
        "yes": t.yes, "no": t.no, "abstain": t.abstain, "lost": t.lost,  # type: ignore[attr-defined]
        "lapsed": t.lapsed,  # type: ignore[attr-defined]
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


# --- Actions ----------------------------------------------------------------------------------------

ERRORS = {400: ErrorOutput, 401: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput}


class ChangeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProposalChange.Kind.choices)
    article_number = serializers.IntegerField(min_value=1)
    new_text = StrictCharField(required=False, allow_blank=True, default="", max_length=20000)


class ProposalCreateInput(serializers.Serializer):
    title = StrictCharField(max_length=200)
    rationale = StrictCharField(max_length=20000)
    changes = ChangeInput(many=True, allow_empty=False)


class SponsorshipOutput(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal_id")
    organisation = serializers.CharField(source="organisation.name")
    sponsored_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class WithdrawInput(serializers.Serializer):
    comment = StrictCharField(required=False, allow_blank=True, default="", max_length=5000)


class BallotOpenInput(serializers.Serializer):
    deadline = serializers.DateTimeField()
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class VoteInput(serializers.Serializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)


class VoteOutput(serializers.Serializer):
    ballot = serializers.IntegerField(source="ballot_id")
    organisation = serializers.CharField(source="organisation.name")
    choice = serializers.CharField()
    cast_at = serializers.DateTimeField()


def _input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _proposal_out(proposal: Proposal) -> dict[str, Any]:
    fresh = Proposal.objects.select_related("organisation", "base_version", "resulting_version") \
        .prefetch_related("changes").get(pk=proposal.pk)
    return dict(ProposalOutput(fresh).data)


def _visible_proposal(request: Request, pk: int) -> Proposal:
    """A draft is visible only to its own organisation's representatives and to staff who may change it."""
    proposal = selectors.proposal_for(actor_from_request(request), pk)
    if proposal is None:
        raise Http404
    return proposal


class _AuthenticatedApi(APIView):
    """Signed in (session or token); who may act is decided by the service through the policy."""

    permission_classes = [IsAuthenticated]


class ProposalCreateApi(_AuthenticatedApi):
    """A representative drafts a member proposal for their organisation (a current signatory)."""

    @extend_schema(tags=["amendments"], request=ProposalCreateInput, responses={201: ProposalOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        proposal = services.proposal_create(actor_from_request(request), **_input(ProposalCreateInput, request))
        return Response(_proposal_out(proposal), status=status.HTTP_201_CREATED)


class ProposalExecutiveCreateApi(_AuthenticatedApi):
    """Staff draft a proposal for the executive body (the admin's "add proposal")."""

    @extend_schema(tags=["amendments", "staff"], request=ProposalCreateInput,
                   responses={201: ProposalOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        proposal = services.proposal_create(actor_from_request(request), executive=True,
                                            **_input(ProposalCreateInput, request))
        return Response(_proposal_out(proposal), status=status.HTTP_201_CREATED)


class ProposalSubmitApi(_AuthenticatedApi):
    """Submit a draft: a member proposal starts gathering sponsors, an executive one (staff) qualifies."""

    @extend_schema(tags=["amendments"], request=None, responses={200: ProposalOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        proposal = _visible_proposal(request, pk)
        return Response(_proposal_out(services.proposal_submit(actor_from_request(request), proposal)))


class ProposalSponsorApi(_AuthenticatedApi):
    """The representative's organisation sponsors a member proposal that is gathering sponsors."""

    @extend_schema(tags=["amendments"], request=None, responses={201: SponsorshipOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        sponsorship = services.proposal_sponsor(actor_from_request(request), _visible_proposal(request, pk))
        return Response(SponsorshipOutput(sponsorship).data, status=status.HTTP_201_CREATED)


class SponsorshipWithdrawApi(_AuthenticatedApi):
    """The representative's organisation withdraws its sponsorship while sponsors are still gathered."""

    @extend_schema(tags=["amendments"], request=None, responses={200: SponsorshipOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        sponsorship = services.sponsorship_withdraw(actor_from_request(request), _visible_proposal(request, pk))
        return Response(SponsorshipOutput(sponsorship).data)


class ProposalWithdrawApi(_AuthenticatedApi):
    """The proposing organisation (or staff who may change proposals) withdraws the proposal."""

    @extend_schema(tags=["amendments"], request=WithdrawInput, responses={200: ProposalOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        proposal = services.proposal_withdraw(actor_from_request(request), _visible_proposal(request, pk),
                                              **_input(WithdrawInput, request))
        return Response(_proposal_out(proposal))


class BallotOpenApi(_AuthenticatedApi):
    """Staff open the ballot on a qualified proposal: the electorate is frozen now."""

    @extend_schema(tags=["amendments", "staff"], request=BallotOpenInput, responses={201: BallotOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        proposal = get_object_or_404(Proposal, pk=pk)
        ballot = services.ballot_open(actor_from_request(request), proposal, **_input(BallotOpenInput, request))
        return Response(BallotOutput(_ballot_data(request, ballot)).data, status=status.HTTP_201_CREATED)


class BallotCastApi(_AuthenticatedApi):
    """The representative casts their organisation's one, final ballot before the deadline."""

    @extend_schema(tags=["amendments"], request=VoteInput, responses={201: VoteOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        ballot = get_object_or_404(Ballot, pk=pk)
        vote = services.ballot_cast(actor_from_request(request), ballot, **_input(VoteInput, request))
        return Response(VoteOutput(vote).data, status=status.HTTP_201_CREATED)
