"""Lapsing under concurrency, on PostgreSQL: departures and votes at the same moment, own connections."""

from __future__ import annotations

import pytest
from django.conf import settings

from convention.amendments import selectors, services
from convention.amendments.models import Ballot, BallotOutcome, BallotState, Vote
from members import services as member_services
from members.selectors import registry_inconsistencies
from tests.convention.amendment_helpers import ensure_version_1, executive_ballot, signatories
from tests.convention.test_ballot_concurrency import _at_once
from tests.helpers import act, for_org

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                       reason="row locks and concurrent connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    # A deadlock or any other error in a thread fails the test, not only a wrong count.
    pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning"),
]


@pytest.fixture(autouse=True)
def _version_1(transactional_db):
    ensure_version_1()


@pytest.mark.parametrize("n", [9, 11])
def test_a_departing_yes_voter_and_the_deciding_votes_at_once_decide_once_and_correctly(publisher, reviewer, n):
    orgs = signatories(n)
    ballot = executive_ballot(publisher)
    threshold = ballot.yes_needed  # 6 for N = 9, 8 for N = 11
    for _org, rep in orgs[:threshold - 1]:
        services.ballot_cast(act(rep), ballot.pk, choice="yes")
    leaver = orgs[0][0]  # voted yes
    notice = member_services.withdrawal_file(for_org(leaver), leaver)
    results = _at_once([
        lambda: member_services.withdrawal_acknowledge(act(reviewer), notice),
        lambda: services.ballot_cast(act(orgs[threshold - 1][1]), ballot.pk, choice="yes"),
        lambda: services.ballot_cast(act(orgs[threshold][1]), ballot.pk, choice="yes"),
    ])
    ballot.refresh_from_db()
    # Either the decisive yes came before the withdrawal (adopted then, the departure changes nothing,
    # the last vote is refused) or after it (the leaver's yes lapsed and both new votes were needed).
    assert ballot.state == BallotState.CLOSED and ballot.outcome == BallotOutcome.ADOPTED
    assert ballot.yes_count == threshold
    if ballot.lapsed_count:
        assert sorted(results) == ["ok", "ok", "ok"] and ballot.lapsed_count == 1
    else:
        assert sorted(results) == ["ballot_closed", "ok", "ok"]
    assert 3 * ballot.yes_count >= 2 * n  # recomputable from the published record
    assert Vote.objects.filter(ballot=ballot).count() == threshold - 1 + results.count("ok") - 1
    assert registry_inconsistencies() == []


@pytest.mark.parametrize("n", [9, 11])
def test_departures_alone_reject_at_once_while_votes_arrive(publisher, reviewer, superuser, n):
    orgs = signatories(n)
    ballot = executive_ballot(publisher)
    room = n - ballot.yes_needed  # 3 for both: the fourth sure non-consent decides
    for _org, rep in orgs[:room - 1]:
        services.ballot_cast(act(rep), ballot.pk, choice="no")
    first, second = orgs[room - 1][0], orgs[room][0]
    notice = member_services.withdrawal_file(for_org(first), first)
    results = _at_once([
        lambda: member_services.withdrawal_acknowledge(act(reviewer), notice),
        lambda: member_services.membership_revoke(act(superuser), second, reason="r", public_notice="通报"),
        lambda: services.ballot_cast(act(orgs[room + 1][1]), ballot.pk, choice="yes"),
    ])
    ballot.refresh_from_db()  # no job has run: the departures closed it
    assert results.count("ok") >= 2
    assert (ballot.state, ballot.outcome) == (BallotState.CLOSED, BallotOutcome.REJECTED)
    assert ballot.no_count + ballot.lost_count + (ballot.lapsed_count or 0) + ballot.abstain_count == room + 1
    assert selectors.ballot_tally(Ballot.objects.get(pk=ballot.pk)).early_outcome() == BallotOutcome.REJECTED
    assert registry_inconsistencies() == []
