"""Celery tasks of the amendment process. Each takes ids, re-reads state and is safe to run twice.

No countdown retries: a ballot that a failed or lost run did not close is found again by the next run of
``ballots_close_due`` (beat, every minute), so a lost message costs at most one minute.
"""

from __future__ import annotations

from celery import shared_task

from convention.amendments.models import Ballot, BallotState, Proposal, ProposalState
from members.core.policy import SYSTEM


@shared_task(acks_late=True)
def ballot_settle(ballot_id: int) -> bool:
    """Close one ballot if its deadline has passed or its outcome is certain."""
    from convention.amendments.services import ballot_settle as settle

    return settle(SYSTEM, ballot_id)


@shared_task(acks_late=True)
def ballots_close_due() -> int:
    """Beat job (every minute): settle every open ballot, and re-check proposals gathering sponsors.

    A withdrawal can make a "no" certain without any new vote, so every open ballot is looked at, not
    only the overdue ones. Each ballot is settled in its own transaction under its own row lock.
    """
    from convention.amendments.services import ballot_settle as settle
    from convention.amendments.services import proposal_check_qualification

    closed = sum(
        settle(SYSTEM, pk) for pk in Ballot.objects.filter(state=BallotState.OPEN).values_list("pk", flat=True)
    )
    for pk in Proposal.objects.filter(state=ProposalState.SPONSORING).values_list("pk", flat=True):
        proposal_check_qualification(SYSTEM, pk)
    return closed
