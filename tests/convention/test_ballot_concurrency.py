"""Casting under concurrency, on PostgreSQL: threads with their own connections vote at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from convention.amendments import services
from convention.amendments.models import Ballot, BallotOutcome, Vote
from convention.models import ConventionVersion
from members.core.errors import DomainError
from tests.convention.amendment_helpers import ensure_version_1, executive_ballot, signatories
from tests.factories import make_representative
from tests.helpers import act

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                       reason="row locks and concurrent connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _version_1(transactional_db):
    ensure_version_1()


def _at_once(calls: list[Callable[[], Any]]) -> list[str]:
    """Run every call in its own thread (own connection), released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except DomainError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_it_keeps_one_ballot_when_two_representatives_of_one_organisation_vote_at_once(publisher):
    orgs = signatories(5)
    ballot = executive_ballot(publisher)
    colleague = make_representative(orgs[0][0])
    results = _at_once([
        lambda: services.ballot_cast(act(orgs[0][1]), ballot.pk, choice="yes"),
        lambda: services.ballot_cast(act(colleague), ballot.pk, choice="no"),
    ])
    assert sorted(results) == ["already_voted", "ok"]
    assert Vote.objects.filter(ballot=ballot, organisation=orgs[0][0]).count() == 1


def test_it_loses_no_ballot_when_many_organisations_vote_at_once(publisher):
    orgs = signatories(30)  # threshold 20: 6 yes and 6 no decide nothing yet
    ballot = executive_ballot(publisher)
    voters = orgs[:12]
    results = _at_once([
        (lambda user=user, i=i: services.ballot_cast(act(user), ballot.pk, choice="yes" if i % 2 else "no"))
        for i, (_, user) in enumerate(voters)
    ])
    assert results == ["ok"] * 12
    assert Vote.objects.filter(ballot=ballot).count() == 12
    assert Vote.objects.filter(ballot=ballot, choice="yes").count() == 6
    assert Ballot.objects.get(pk=ballot.pk).is_open


def test_it_decides_exactly_once_when_the_deciding_ballots_arrive_together(publisher):
    orgs = signatories(3)  # threshold 2: the second yes decides, the third ballot is refused
    ballot = executive_ballot(publisher)
    results = _at_once([
        (lambda user=user: services.ballot_cast(act(user), ballot.pk, choice="yes")) for _, user in orgs
    ])
    assert sorted(results) == ["ballot_closed", "ok", "ok"]
    ballot.refresh_from_db()
    assert ballot.outcome == BallotOutcome.ADOPTED and ballot.yes_count == 2
    assert ConventionVersion.objects.filter(number=2).count() == 1
