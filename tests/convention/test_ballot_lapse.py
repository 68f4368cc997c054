"""Consent that lapses (DESIGN "Amendments", decided 2026-12-01): a yes whose voter's membership ends
while the ballot is open is kept, public and marked lapsed, and no longer counts as consent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from convention.amendments import selectors, services, tasks
from convention.amendments.models import Ballot, BallotOutcome, BallotState, CloseReason, Vote
from members import services as member_services
from members.core.policy import SYSTEM
from members.history import memberships_apply_due
from members.selectors import registry_inconsistencies
from tests.convention.amendment_helpers import executive_ballot, signatories
from tests.helpers import act, for_org

pytestmark = pytest.mark.django_db


def _withdraw_now(org, reviewer, effective=None):
    notice = member_services.withdrawal_file(for_org(org), org)
    return member_services.withdrawal_acknowledge(act(reviewer), notice, effective_date=effective)


def _row(ballot, org):
    return next(r for r in selectors.ballot_record(ballot)["rows"] if r["uscc"] == org.public_uscc)


def test_n9_a_yes_that_lapses_before_the_decisive_vote_does_not_count(publisher, reviewer, moving_clock,
                                                                      django_capture_on_commit_callbacks):
    orgs = signatories(9)  # threshold 6
    ballot = executive_ballot(publisher)
    leaver = orgs[0]
    services.ballot_cast(act(leaver[1]), ballot, choice="yes")
    moving_clock.advance(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw_now(leaver[0], reviewer)
    for _org, rep in orgs[1:6]:  # five more yes: with the lapsed one that would have been six
        services.ballot_cast(act(rep), ballot, choice="yes")
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN
    t = selectors.ballot_tally(ballot)
    assert (t.yes, t.lapsed, t.lost) == (5, 1, 0)
    row = _row(ballot, leaver[0])
    assert row["choice"] == "yes" and row["lapsed"] and row["membership_ended_on"] == moving_clock.current.date()
    assert row["membership_end_kind"] == "withdrew"
    services.ballot_cast(act(orgs[6][1]), ballot, choice="yes")  # the sixth consenting current member
    ballot.refresh_from_db()
    assert (ballot.outcome, ballot.close_reason, ballot.yes_count, ballot.lapsed_count) == (
        BallotOutcome.ADOPTED, CloseReason.CERTAIN, 6, 1)
    assert Vote.objects.filter(ballot=ballot, organisation=leaver[0], choice="yes").count() == 1  # kept
    page = pytest.importorskip("django.test").Client().get(f"/convention/ballots/{ballot.pk}/").content.decode()
    assert '<dd id="ballot-lapsed">1</dd>' in page and "（已失效）" in page and "结束（退出）" in page
    assert registry_inconsistencies() == []


def test_n9_a_departure_after_the_decisive_vote_changes_nothing(publisher, reviewer, moving_clock,
                                                               django_capture_on_commit_callbacks):
    orgs = signatories(9)
    ballot = executive_ballot(publisher)
    for _org, rep in orgs[:6]:
        services.ballot_cast(act(rep), ballot, choice="yes")
    ballot.refresh_from_db()
    assert ballot.outcome == BallotOutcome.ADOPTED
    frozen = (ballot.yes_count, ballot.lapsed_count, ballot.closed_at)
    moving_clock.advance(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw_now(orgs[0][0], reviewer)
    ballot.refresh_from_db()
    assert (ballot.yes_count, ballot.lapsed_count, ballot.closed_at) == frozen == (6, 0, frozen[2])
    assert selectors.ballot_tally(ballot).yes == 6
    assert not _row(ballot, orgs[0][0])["lapsed"]  # the record as it was at closing


def test_n11_a_scheduled_withdrawal_lapses_a_yes_on_its_day(publisher, reviewer, moving_clock,
                                                           django_capture_on_commit_callbacks):
    orgs = signatories(11)  # threshold 8
    ballot = executive_ballot(publisher, hours=24 * 10)
    leaver = orgs[0]
    # Acknowledged today for the day after tomorrow: still a signatory, its yes counts until then.
    _withdraw_now(leaver[0], reviewer, effective=moving_clock.current.date() + timedelta(days=2))
    for _org, rep in orgs[:7]:
        services.ballot_cast(act(rep), ballot, choice="yes")
    assert selectors.ballot_tally(ballot).yes == 7
    moving_clock.advance(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert memberships_apply_due(SYSTEM) == 1
    t = selectors.ballot_tally(ballot)
    assert (t.yes, t.lapsed) == (6, 1)
    services.ballot_cast(act(orgs[7][1]), ballot, choice="yes")  # would have been the eighth
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN and selectors.ballot_tally(ballot).yes == 7
    services.ballot_cast(act(orgs[8][1]), ballot, choice="yes")
    ballot.refresh_from_db()
    assert (ballot.outcome, ballot.yes_count, ballot.lapsed_count) == (BallotOutcome.ADOPTED, 8, 1)
    assert registry_inconsistencies() == []


def test_n11_a_rejection_made_certain_by_departures_closes_the_ballot_at_once(publisher, reviewer, superuser,
                                                                             moving_clock,
                                                                             django_capture_on_commit_callbacks):
    orgs = signatories(11)  # N − threshold = 3: a fourth sure non-consent decides
    ballot = executive_ballot(publisher)
    services.ballot_cast(act(orgs[0][1]), ballot, choice="no")
    services.ballot_cast(act(orgs[1][1]), ballot, choice="yes")
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw_now(orgs[1][0], reviewer)  # its yes lapses: 2 sure
        _withdraw_now(orgs[2][0], reviewer)  # lost: 3 sure
    assert Ballot.objects.get(pk=ballot.pk).state == BallotState.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        member_services.membership_revoke(act(superuser), orgs[3][0], reason="r", public_notice="通报")
    ballot.refresh_from_db()  # closed by the revocation itself, not by the job
    assert (ballot.state, ballot.outcome, ballot.close_reason) == (BallotState.CLOSED, BallotOutcome.REJECTED,
                                                                   CloseReason.CERTAIN)
    assert (ballot.no_count, ballot.lapsed_count, ballot.lost_count, ballot.yes_count) == (1, 1, 2, 0)
    assert tasks.ballots_close_due() == 0


def test_a_ballot_past_its_deadline_is_shown_closed_and_the_late_job_closes_it_at_the_deadline(
        publisher, reviewer, moving_clock, client, django_capture_on_commit_callbacks):
    orgs = signatories(3)  # threshold 2
    ballot = executive_ballot(publisher, hours=24)
    services.ballot_cast(act(orgs[0][1]), ballot, choice="yes")
    services.ballot_cast(act(orgs[1][1]), ballot, choice="no")
    moving_clock.advance(days=7)  # beat was down for a week
    # A departure after the deadline changes nothing: orgs[0]'s yes is not lapsed. (Its settling
    # callback is not run here: nothing but the page and the late job look at the ballot.)
    _withdraw_now(orgs[0][0], reviewer)
    status = selectors.ballot_status(Ballot.objects.get(pk=ballot.pk))
    assert (status.closed, status.outcome, status.awaiting_job) == (True, BallotOutcome.REJECTED, True)
    api = client.get(f"/api/v1/amendments/ballots/{ballot.pk}/").json()
    assert (api["state"], api["outcome"], api["yes"], api["lapsed"]) == ("closed", "rejected", 1, 0)
    assert tasks.ballots_close_due() == 1
    assert tasks.ballots_close_due() == 0
    ballot.refresh_from_db()
    assert ballot.closed_at == ballot.deadline and ballot.close_reason == CloseReason.DEADLINE
    assert (ballot.yes_count, ballot.no_count, ballot.lapsed_count, ballot.lost_count) == (1, 1, 0, 0)


def test_a_yes_lapses_from_a_revocation_that_overtakes_a_withdrawal_scheduled_after_the_deadline(
        publisher, reviewer, superuser, moving_clock, django_capture_on_commit_callbacks):
    """The voter's withdrawal was scheduled for after the deadline (its yes would have counted); a
    revocation decided during the ballot supersedes it, and the yes lapses from the revocation."""
    orgs = signatories(9)  # threshold 6
    ballot = executive_ballot(publisher)  # 48 hours
    voter = orgs[0]
    _withdraw_now(voter[0], reviewer, effective=moving_clock.current.date() + timedelta(days=30))
    services.ballot_cast(act(voter[1]), ballot, choice="yes")
    assert selectors.ballot_tally(ballot).yes == 1  # a scheduled end after the deadline: still consent
    moving_clock.advance(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        revocation = member_services.membership_revoke(act(superuser), voter[0], reason="r", public_notice="通报")
    assert revocation.supersedes_id is not None
    t = selectors.ballot_tally(ballot)
    assert (t.yes, t.lapsed) == (0, 1)
    row = _row(ballot, voter[0])
    assert row["lapsed"] and row["membership_end_kind"] == "revoked"
    assert row["membership_ended_on"] == moving_clock.current.date()
    assert registry_inconsistencies() == []
