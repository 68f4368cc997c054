"""Art 24 scenarios: sponsors, qualification, ballots, early decisions, deadlines and adoption."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from convention.amendments import services, tasks
from convention.amendments.models import (
    PROPOSAL_TRANSITIONS,
    Ballot,
    BallotOutcome,
    BallotState,
    CloseReason,
    ElectorateMember,
    Proposal,
    ProposalEvent,
    ProposalState,
    Vote,
)
from convention.models import ConventionVersion
from convention.text.selectors import current_version
from members import services as member_services
from members.core import clock
from members.core.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from members.models import Notification
from tests.convention.amendment_helpers import NEW_TEXT_2, executive_ballot, member_proposal, signatories
from tests.factories import OrganisationFactory, make_representative, make_signatory
from tests.helpers import act

pytestmark = pytest.mark.django_db


def test_it_keeps_a_proposal_short_of_one_sponsor_unqualified_and_the_next_sponsor_qualifies_it():
    orgs = signatories(11)  # N = 11 needs s = 2
    proposal = member_proposal(orgs[0][1])
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SPONSORING
    assert proposal.sponsorships.count() == 1 and proposal.qualified_at is None

    services.proposal_sponsor(act(orgs[1][1]), proposal)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    assert (proposal.qualified_sponsors, proposal.qualified_signatories) == (2, 11)
    assert proposal.events.filter(action="qualify", comment__contains="s=2, N=11").exists()
    assert Notification.objects.filter(organisation=orgs[0][0], kind="amendment_qualified").exists()


def test_it_stops_counting_a_sponsor_whose_membership_ended_and_lets_sponsors_withdraw_before_qualifying(
        superuser):
    orgs = signatories(21)  # N = 21 needs s = 3
    proposal = member_proposal(orgs[0][1])
    services.proposal_sponsor(act(orgs[2][1]), proposal)
    services.sponsorship_withdraw(act(orgs[2][1]), proposal)  # s = 1
    services.proposal_sponsor(act(orgs[1][1]), proposal)  # s = 2 < 3
    member_services.membership_revoke(act(), orgs[1][0], reason="r", public_notice="通报")
    services.proposal_sponsor(act(orgs[3][1]), proposal)  # s = 2 (A, D), N = 20
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    assert (proposal.qualified_sponsors, proposal.qualified_signatories) == (2, 20)
    assert proposal.sponsorships.filter(withdrawn_at__isnull=False).count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.sponsorship_withdraw(act(orgs[3][1]), proposal)


def test_it_refuses_sponsors_who_are_not_signatories_and_double_sponsoring():
    orgs = signatories(30)
    proposal = member_proposal(orgs[0][1])
    outsider = make_representative(OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.proposal_sponsor(act(outsider), proposal)
    services.proposal_sponsor(act(orgs[1][1]), proposal)
    with pytest.raises(Conflict):
        services.proposal_sponsor(act(make_representative(orgs[1][0])), proposal)


def test_it_refuses_changes_to_articles_that_do_not_exist():
    orgs = signatories(1)
    with pytest.raises(DomainError) as exc:
        services.proposal_create(act(orgs[0][1]), title="t", rationale="r",
                                 changes=[{"kind": "amend", "article_number": 999, "new_text": "x"}])
    assert exc.value.code == "no_such_article"
    assert not Proposal.objects.exists()


def test_it_freezes_the_electorate_n_and_its_hash_at_opening(publisher, client):
    orgs = signatories(4)
    ballot = executive_ballot(publisher)
    assert ballot.electorate_size == 4 and ballot.yes_needed == 3
    codes = sorted(o.uscc for o, _ in orgs)
    expected = hashlib.sha256("".join(c + "\n" for c in codes).encode()).hexdigest()
    assert ballot.electorate_sha256 == expected
    body = client.get(f"/convention/ballots/{ballot.pk}/electorate.txt").content
    assert hashlib.sha256(body).hexdigest() == ballot.electorate_sha256
    assert Notification.objects.filter(kind="ballot_opened").count() == 4


def test_it_keeps_n_when_a_member_withdraws_mid_ballot_and_counts_it_as_not_consenting(publisher, reviewer):
    orgs = signatories(3)  # threshold 2 of 3
    ballot = executive_ballot(publisher)
    services.ballot_cast(act(orgs[0][1]), ballot, choice="yes")
    notice = member_services.withdrawal_file(act(orgs[1][1]), orgs[1][0])
    member_services.withdrawal_acknowledge(act(reviewer), notice)
    latecomer = make_signatory(OrganisationFactory())
    with pytest.raises(PermissionDenied) as exc:
        services.ballot_cast(act(orgs[1][1]), ballot, choice="yes")
    assert exc.value.code == "membership_ended"
    with pytest.raises(PermissionDenied) as exc:
        services.ballot_cast(act(make_representative(latecomer)), ballot, choice="yes")
    assert exc.value.code == "not_in_electorate"
    ballot.refresh_from_db()
    assert ballot.electorate_size == 3 and ballot.electorate.count() == 3
    assert ballot.is_open  # 1 yes + 1 lost: the last voter still decides
    services.ballot_cast(act(orgs[2][1]), ballot, choice="no")
    ballot.refresh_from_db()
    assert (ballot.state, ballot.outcome, ballot.close_reason) == (BallotState.CLOSED, BallotOutcome.REJECTED,
                                                                   CloseReason.CERTAIN)
    assert (ballot.yes_count, ballot.no_count, ballot.abstain_count, ballot.lost_count) == (1, 1, 0, 1)
    from convention.amendments.selectors import ballot_record

    rows = {r["uscc"]: r for r in ballot_record(ballot)["rows"]}
    assert rows[orgs[1][0].uscc]["can_no_longer_vote"] and rows[orgs[1][0].uscc]["choice"] is None
    assert sum(r["can_no_longer_vote"] for r in rows.values()) == 1


def test_it_decides_yes_as_soon_as_certain_and_adopts_a_new_version_with_the_right_text(publisher, client):
    orgs = signatories(3)
    ballot = executive_ballot(publisher, changes=[
        {"kind": "amend", "article_number": 2, "new_text": NEW_TEXT_2},
        {"kind": "remove", "article_number": 3},
        {"kind": "add", "article_number": 40, "new_text": "新增的一条。"},
    ])
    ballot.effective_date = clock.today() + timedelta(days=30)
    ballot.save(update_fields=["effective_date"])
    v1 = ConventionVersion.objects.get(number=1)
    services.ballot_cast(act(orgs[0][1]), ballot, choice="yes")
    assert Ballot.objects.get(pk=ballot.pk).is_open
    services.ballot_cast(act(orgs[1][1]), ballot, choice="yes")
    ballot.refresh_from_db()
    assert (ballot.outcome, ballot.close_reason) == (BallotOutcome.ADOPTED, CloseReason.CERTAIN)
    proposal = Proposal.objects.get(pk=ballot.proposal_id)
    version = proposal.resulting_version
    assert proposal.state == ProposalState.ADOPTED and version.number == 2
    assert version.effective_date == clock.today() + timedelta(days=30)
    assert version.articles.get(number=2).text == NEW_TEXT_2
    assert not version.articles.filter(number=3).exists()
    assert version.articles.get(number=40).text == "新增的一条。"
    assert version.articles.get(number=1).text == v1.articles.get(number=1).text
    assert version.articles.count() == v1.articles.count()
    assert current_version().number == 1  # not yet in force
    with pytest.raises(Conflict):
        services.ballot_cast(act(orgs[2][1]), ballot, choice="no")
    page = client.get(f"/convention/ballots/{ballot.pk}/").content.decode()
    assert "已形成公约第 2 版" in page


def test_it_decides_no_early_and_makes_no_version(publisher):
    orgs = signatories(4)  # threshold 3: two no leave at most 2 yes
    ballot = executive_ballot(publisher)
    services.ballot_cast(act(orgs[0][1]), ballot, choice="no")
    assert Ballot.objects.get(pk=ballot.pk).is_open
    services.ballot_cast(act(orgs[1][1]), ballot, choice="abstain")
    ballot.refresh_from_db()
    assert (ballot.outcome, ballot.close_reason) == (BallotOutcome.REJECTED, CloseReason.CERTAIN)
    assert Proposal.objects.get(pk=ballot.proposal_id).state == ProposalState.REJECTED
    assert ConventionVersion.objects.count() == 1
    assert Notification.objects.filter(kind="ballot_closed").count() == 4


def test_it_refuses_a_ballot_at_the_deadline_whether_or_not_the_job_ran(publisher, monkeypatch, client):
    orgs = signatories(3)
    ballot = executive_ballot(publisher, hours=1)
    services.ballot_cast(act(orgs[0][1]), ballot, choice="yes")
    monkeypatch.setattr(clock, "now", lambda: ballot.deadline)
    with pytest.raises(Conflict) as exc:
        services.ballot_cast(act(orgs[1][1]), ballot, choice="yes")
    assert exc.value.code == "ballot_closed"
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert Ballot.objects.get(pk=ballot.pk).is_open  # the job has not run yet
    page = client.get(f"/convention/ballots/{ballot.pk}/").content.decode()
    # Shown closed, with the outcome the record gives, before the job has run.
    assert "已于截止时间结束，结果依记录计算" in page and '<dd id="ballot-outcome">未通过' in page
    assert tasks.ballots_close_due.delay().get() == 1
    ballot.refresh_from_db()
    assert (ballot.outcome, ballot.close_reason, ballot.yes_count) == (BallotOutcome.REJECTED,
                                                                      CloseReason.DEADLINE, 1)
    assert tasks.ballots_close_due.delay().get() == 0  # idempotent


def test_it_gives_one_ballot_per_organisation_and_never_deletes_it(publisher):
    orgs = signatories(5)
    ballot = executive_ballot(publisher)
    colleague = make_representative(orgs[0][0])
    vote = services.ballot_cast(act(orgs[0][1]), ballot, choice="no")
    with pytest.raises(Conflict) as exc:
        services.ballot_cast(act(colleague), ballot, choice="yes")
    assert exc.value.code == "already_voted"
    with pytest.raises(TypeError):
        vote.delete()
    with pytest.raises(TypeError):
        Vote.objects.filter(pk=vote.pk).update(choice="yes")
    with pytest.raises(TypeError):
        ElectorateMember.objects.filter(ballot=ballot).delete()


def test_it_refuses_to_open_a_ballot_on_an_unqualified_proposal_or_an_empty_electorate(publisher):
    orgs = signatories(11)
    proposal = member_proposal(orgs[0][1])
    with pytest.raises(TransitionNotAllowed):
        services.ballot_open(act(publisher), proposal, deadline=clock.now() + timedelta(days=1))
    assert not Ballot.objects.exists()


def test_it_lets_only_staff_with_the_permission_open_a_ballot(publisher):
    orgs = signatories(2)
    with pytest.raises(PermissionDenied):
        services.ballot_open(act(orgs[0][1]), member_proposal(orgs[0][1]),
                             deadline=clock.now() + timedelta(days=1))


def test_it_walks_the_whole_proposal_transition_table():
    from convention.amendments.models import PROPOSAL_MACHINE
    from members.core.policy import SYSTEM
    from members.core.transitions import move

    # Every move of the table, through the one mechanism (authorisation is granted: the table is tested).
    actor = SYSTEM.granting(PROPOSAL_MACHINE.action(a) for a in PROPOSAL_TRANSITIONS)
    orgs = signatories(1)
    proposal = services.proposal_create(act(orgs[0][1]), title="t", rationale="r",
                                        changes=[{"kind": "remove", "article_number": 3}])
    for action, moves in PROPOSAL_TRANSITIONS.items():
        for state in ProposalState:
            proposal.state = state
            if state in moves:
                move(actor, PROPOSAL_MACHINE, proposal, action)
                assert proposal.state == moves[state]
            else:
                with pytest.raises(TransitionNotAllowed):
                    move(actor, PROPOSAL_MACHINE, proposal, action)
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 1 + sum(len(m) for m in
                                                                              PROPOSAL_TRANSITIONS.values())


def test_it_schedules_the_closing_job_every_minute():
    task = PeriodicTask.objects.get(task="convention.amendments.tasks.ballots_close_due")
    assert task.enabled and task.interval.every == 1 and task.interval.period == "minutes"


def test_it_lets_the_job_reject_once_withdrawals_make_consent_impossible(publisher, reviewer):
    orgs = signatories(3)  # threshold 2: two members leaving leave at most one yes
    ballot = executive_ballot(publisher)
    assert tasks.ballots_close_due.delay().get() == 0
    for org, rep in orgs[:2]:
        member_services.withdrawal_acknowledge(act(reviewer), member_services.withdrawal_file(act(rep), org))
    assert tasks.ballots_close_due.delay().get() == 1
    ballot.refresh_from_db()
    assert (ballot.outcome, ballot.close_reason, ballot.lost_count, ballot.electorate_size) == (
        BallotOutcome.REJECTED, CloseReason.CERTAIN, 2, 3)


def test_it_emails_the_electorate_when_a_ballot_opens(publisher, django_capture_on_commit_callbacks, mailoutbox):
    orgs = signatories(2)
    with django_capture_on_commit_callbacks(execute=True):
        ballot = executive_ballot(publisher)
    recipients = sorted(addr for m in mailoutbox for addr in m.to)
    assert recipients == sorted(rep.email for _, rep in orgs)
    assert all(ballot.proposal.title in m.body or "修订表决已开始" in m.subject for m in mailoutbox)


def test_it_puts_the_adopted_version_in_force_on_its_effective_date(publisher, monkeypatch):
    orgs = signatories(1)
    ballot = executive_ballot(publisher)
    ballot.effective_date = clock.today() + timedelta(days=10)
    ballot.save(update_fields=["effective_date"])
    services.ballot_cast(act(orgs[0][1]), ballot, choice="yes")
    assert current_version().number == 1
    later = clock.now() + timedelta(days=10)
    monkeypatch.setattr(clock, "now", lambda: later)
    version = current_version()
    assert version.number == 2 and version.articles.get(number=2).text == NEW_TEXT_2


def test_it_lets_only_the_publisher_group_open_ballots(reviewer, publisher):
    orgs = signatories(2)
    proposal = member_proposal(orgs[0][1])  # N = 2: the proposer alone qualifies it
    with pytest.raises(PermissionDenied):
        services.ballot_open(act(reviewer), proposal, deadline=clock.now() + timedelta(days=1))
    ballot = services.ballot_open(act(publisher), proposal, deadline=clock.now() + timedelta(days=1))
    assert ballot.electorate_size == 2


def test_it_qualifies_on_the_job_run_once_n_has_fallen(superuser):
    orgs = signatories(11)  # s = 1 with N = 11 is short; with N = 10 it is enough
    proposal = member_proposal(orgs[0][1])
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SPONSORING
    member_services.membership_revoke(act(), orgs[5][0], reason="r", public_notice="通报")
    tasks.ballots_close_due.delay().get()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    assert (proposal.qualified_sponsors, proposal.qualified_signatories) == (1, 10)


def test_it_refuses_an_effective_date_before_the_deadline(publisher):
    signatories(3)
    proposal = services.proposal_create(act(publisher), title="执行机构修订提议", rationale="执行机构提出。", executive=True,
        changes=[{"kind": "amend", "article_number": 2, "new_text": NEW_TEXT_2}])
    services.proposal_submit(act(publisher), proposal)
    deadline = clock.now() + timedelta(days=10)
    with pytest.raises(DomainError) as exc:
        services.ballot_open(act(publisher), proposal, deadline=deadline,
                             effective_date=(deadline - timedelta(days=5)).date())
    assert exc.value.code == "effective_before_deadline"
    assert not Ballot.objects.exists()
    services.ballot_open(act(publisher), proposal, deadline=deadline, effective_date=(deadline + timedelta(days=1)).date())
    assert Ballot.objects.count() == 1
