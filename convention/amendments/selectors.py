"""Reads of the amendment process: what a representative may sponsor or vote on, and the public tally."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from convention.amendments import tally
from convention.amendments.models import (
    PROPOSAL_PUBLIC_STATES,
    Ballot,
    BallotState,
    ElectorateMember,
    Proposal,
    ProposalState,
    Sponsorship,
    Vote,
    VoteChoice,
)
from members.core.policy import Actor, allows
from members.models import MembershipEvent, MembershipStatus, Organisation

_ENDS = [MembershipEvent.Kind.WITHDREW, MembershipEvent.Kind.REVOKED]


def public_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(state__in=PROPOSAL_PUBLIC_STATES).select_related("organisation", "ballot")


def active_sponsorships(proposal: Proposal) -> QuerySet[Sponsorship]:
    return proposal.sponsorships.filter(withdrawn_at__isnull=True).select_related("organisation")


def counting_sponsors(proposal: Proposal) -> int:
    """s: distinct sponsoring organisations that are signatories now (an ended membership stops counting)."""
    return (
        active_sponsorships(proposal).filter(organisation__status=MembershipStatus.SIGNATORY)
        .values("organisation").distinct().count()
    )


def proposals_to_sponsor(org: Organisation) -> QuerySet[Proposal]:
    """Member proposals still gathering sponsors that this organisation has not sponsored."""
    mine = Sponsorship.objects.filter(organisation=org, withdrawn_at__isnull=True).values("proposal")
    return (
        Proposal.objects.filter(state=ProposalState.SPONSORING).exclude(pk__in=mine)
        .select_related("organisation")
    )


def proposals_sponsored_by(org: Organisation) -> QuerySet[Proposal]:
    mine = Sponsorship.objects.filter(organisation=org, withdrawn_at__isnull=True).values("proposal")
    return Proposal.objects.filter(pk__in=mine).select_related("organisation")


def proposal_for(actor: Actor, pk: int) -> Proposal | None:
    """A proposal as ``actor`` may see it: a draft only by its own organisation's representatives and
    staff who may change proposals (second factor); None otherwise, so callers answer 404."""
    proposal = Proposal.objects.select_related("organisation", "base_version").filter(pk=pk).first()
    if proposal is None or (proposal.state == ProposalState.DRAFT and not allows(actor, "proposal.view_draft", proposal)):
        return None
    return proposal


def proposals_of(org: Organisation) -> QuerySet[Proposal]:
    return Proposal.objects.filter(organisation=org).select_related("ballot")


def lost_voter_ids(ballot: Ballot) -> set[int]:
    """Members of E who can no longer vote: an end of membership was recorded while the ballot ran.

    For an open ballot any member of E who is not a signatory now counts too (belt and braces: such a
    member was a signatory at opening, so its end was recorded since). A closed ballot looks only at
    ends recorded before it closed, so the published list never changes afterwards.
    """
    ended = Q(organisation__events__kind__in=_ENDS, organisation__events__recorded_at__gte=ballot.opened_at)
    if ballot.closed_at is not None:
        ended &= Q(organisation__events__recorded_at__lt=ballot.closed_at)
    else:
        ended |= ~Q(organisation__status=MembershipStatus.SIGNATORY)
    return set(ElectorateMember.objects.filter(ended, ballot=ballot).values_list("organisation_id", flat=True))


def ballot_tally(ballot: Ballot) -> tally.Tally:
    """Live counts from the ``Vote`` rows; a closed ballot answers with the counts frozen at closing."""
    if ballot.state == BallotState.CLOSED and ballot.yes_count is not None:
        return tally.Tally(ballot.electorate_size, ballot.yes_count, ballot.no_count or 0,
                           ballot.abstain_count or 0, ballot.lost_count or 0)
    counts = dict.fromkeys(VoteChoice.values, 0)
    voted: set[int] = set()
    for org_id, choice in Vote.objects.filter(ballot=ballot).values_list("organisation_id", "choice"):
        counts[choice] += 1
        voted.add(org_id)
    lost = len(lost_voter_ids(ballot) - voted)
    return tally.Tally(ballot.electorate_size, counts[VoteChoice.YES], counts[VoteChoice.NO],
                       counts[VoteChoice.ABSTAIN], lost)


@dataclass(frozen=True)
class Eligibility:
    can_vote: bool
    reason: str = ""
    vote: Vote | None = None


def eligibility(ballot: Ballot, org: Organisation | None) -> Eligibility:
    """Whether ``org`` may cast a ballot now (the service re-checks under a lock)."""
    from django.utils.translation import gettext as _

    if org is None:
        return Eligibility(False, _("您的账户尚未关联单位。"))
    vote = Vote.objects.filter(ballot=ballot, organisation=org).first()
    if vote is not None:
        return Eligibility(False, _("贵单位已投票，选票一经投出不可更改。"), vote)
    if not ElectorateMember.objects.filter(ballot=ballot, organisation=org).exists():
        return Eligibility(False, _("贵单位不在本次表决的表决成员名单中（名单在表决开始时确定）。"))
    if org.pk in lost_voter_ids(ballot):
        return Eligibility(False, _("贵单位的成员资格已在表决期间结束，不能再投票。"))
    if not ballot.is_open:
        return Eligibility(False, _("表决已结束。"))
    return Eligibility(True)


def ballots_to_vote(org: Organisation) -> QuerySet[Ballot]:
    """Open ballots whose electorate includes this organisation and that it has not voted in."""
    voted = Vote.objects.filter(organisation=org).values("ballot")
    return (
        Ballot.objects.filter(state=BallotState.OPEN, electorate__organisation=org).exclude(pk__in=voted)
        .select_related("proposal").order_by("deadline")
    )


def public_ballots() -> QuerySet[Ballot]:
    return Ballot.objects.select_related("proposal").order_by("-opened_at", "-id")


def named_votes(ballot: Ballot) -> QuerySet[ElectorateMember]:
    """E in canonical order, each with its vote (if any): the public, named record."""
    return ElectorateMember.objects.filter(ballot=ballot).order_by("public_uscc", "id")


def ballot_record(ballot: Ballot) -> dict[str, object]:
    """Everything needed to recompute the result, as plain values (shared by the page and the API)."""
    t = ballot_tally(ballot)
    votes = {v.organisation_id: v for v in Vote.objects.filter(ballot=ballot)}
    lost = lost_voter_ids(ballot)
    rows = []
    for member in named_votes(ballot):
        vote = votes.get(member.organisation_id)
        rows.append({
            "uscc": member.public_uscc, "name": member.name,
            "choice": vote.choice if vote else None,
            "choice_display": vote.get_choice_display() if vote else "",
            "cast_at": vote.cast_at if vote else None,
            "can_no_longer_vote": vote is None and member.organisation_id in lost,
        })
    return {
        "tally": t,
        "electorate_size": ballot.electorate_size,
        "electorate_sha256": ballot.electorate_sha256,
        "yes_needed": ballot.yes_needed,
        "rule": "3·Y ≥ 2·N",
        "rows": rows,
        "early_outcome": t.early_outcome(),
    }
