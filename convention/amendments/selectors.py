"""Reads of the amendment process: what a representative may sponsor or vote on, and the public tally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from convention.amendments import tally
from convention.amendments.models import (
    PROPOSAL_PUBLIC_STATES,
    Ballot,
    BallotOutcome,
    BallotState,
    ElectorateMember,
    Proposal,
    ProposalState,
    Sponsorship,
    Vote,
    VoteChoice,
)
from members.core import clock
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


@dataclass(frozen=True)
class Departure:
    """A member of E whose membership ended while the ballot was open: when, and how."""

    organisation_id: int
    on: date  # the effective date of the end
    kind: str  # MembershipEvent.Kind: withdrew | revoked
    at: datetime  # the moment it took effect: the later of its recording and the start of its day

    @property
    def kind_display(self) -> str:
        return str(MembershipEvent.Kind(self.kind).label)


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def counted_until(ballot: Ballot, now: datetime) -> datetime:
    """The moment a ballot's count refers to: its closing, else its deadline once passed, else now."""
    if ballot.closed_at is not None:
        return ballot.closed_at
    return min(now, ballot.deadline)


def departures(ballot: Ballot, until: datetime) -> dict[int, Departure]:
    """Members of E whose membership end took effect from the opening on, and no later than ``until``.

    An end takes effect at the later of the moment it was recorded and the start of its effective
    day, so a withdrawal acknowledged before the opening for a day during the ballot counts on that
    day, and one acknowledged today for today counts from its recording.
    """
    opened_day = timezone.localtime(ballot.opened_at).date()
    rows = (MembershipEvent.objects.in_force().filter(
        Q(recorded_at__gte=ballot.opened_at) | Q(effective_date__gte=opened_day),
        organisation__in=ElectorateMember.objects.filter(ballot=ballot).values("organisation"), kind__in=_ENDS,
    ).order_by("effective_date", "id").values_list("organisation_id", "kind", "effective_date", "recorded_at"))
    result: dict[int, Departure] = {}
    for org_id, kind, day, recorded in rows:
        moment = max(recorded, _start_of_day(day))
        if ballot.opened_at <= moment <= until and org_id not in result:
            result[org_id] = Departure(org_id, day, kind, moment)
    return result


def lost_voter_ids(ballot: Ballot, now: datetime | None = None) -> set[int]:
    """Members of E who can no longer vote (their membership ended while the ballot ran)."""
    return set(departures(ballot, counted_until(ballot, now or clock.now())))


def ballot_tally(ballot: Ballot, now: datetime | None = None) -> tally.Tally:
    """Counts from the ``Vote`` rows and the departures up to ``counted_until``; a closed ballot answers
    with the counts frozen at closing (later departures change nothing)."""
    if ballot.state == BallotState.CLOSED and ballot.yes_count is not None:
        return tally.Tally(ballot.electorate_size, ballot.yes_count, ballot.no_count or 0,
                           ballot.abstain_count or 0, ballot.lost_count or 0, ballot.lapsed_count or 0)
    votes = list(Vote.objects.filter(ballot=ballot).values_list("organisation_id", "choice"))
    return tally.count(ballot.electorate_size, votes, lost_voter_ids(ballot, now))


@dataclass(frozen=True)
class BallotStatus:
    """What the public sees: a ballot past its deadline is closed, with the outcome from the record,
    even before the job has written it."""

    closed: bool
    outcome: str  # BallotOutcome value, or "" while open
    awaiting_job: bool

    @property
    def outcome_display(self) -> str:
        return str(BallotOutcome(self.outcome).label) if self.outcome else ""


def ballot_status(ballot: Ballot, now: datetime | None = None) -> BallotStatus:
    now = now or clock.now()
    if ballot.state == BallotState.CLOSED:
        return BallotStatus(True, ballot.outcome, False)
    if now >= ballot.deadline:
        return BallotStatus(True, ballot_tally(ballot, now).final_outcome(), True)
    return BallotStatus(False, "", False)


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
    if not ballot.is_open or clock.now() >= ballot.deadline:
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


def ballot_record(ballot: Ballot, now: datetime | None = None) -> dict[str, object]:
    """Everything needed to recompute the result, as plain values (shared by the page and the API).

    Each named row shows its vote as cast; a voter whose membership ended while the ballot was open
    carries the date and kind of that end, and its yes is marked lapsed (not consent).
    """
    now = now or clock.now()
    t = ballot_tally(ballot, now)
    votes = {v.organisation_id: v for v in Vote.objects.filter(ballot=ballot)}
    gone = departures(ballot, counted_until(ballot, now))
    rows = []
    for member in named_votes(ballot):
        vote = votes.get(member.organisation_id)
        left = gone.get(member.organisation_id)
        rows.append({
            "uscc": member.public_uscc, "name": member.name,
            "choice": vote.choice if vote else None,
            "choice_display": vote.get_choice_display() if vote else "",
            "cast_at": vote.cast_at if vote else None,
            "can_no_longer_vote": vote is None and left is not None,
            "lapsed": vote is not None and vote.choice == VoteChoice.YES and left is not None,
            "membership_ended_on": left.on if left else None,
            "membership_end_kind": left.kind if left else None,
            "membership_end_display": left.kind_display if left else "",
        })
    status = ballot_status(ballot, now)
    return {
        "tally": t,
        "status": status,
        "electorate_size": ballot.electorate_size,
        "electorate_sha256": ballot.electorate_sha256,
        "yes_needed": ballot.yes_needed,
        "rule": "3·Y ≥ 2·N",
        "rows": rows,
        "early_outcome": t.early_outcome(),
    }
