"""Art 24 actions through the API: the same services and permissions as the portal and admin, one error shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from convention.amendments.models import (
    Ballot,
    ElectorateMember,
    Proposal,
    ProposalEvent,
    ProposalSource,
    ProposalState,
    Sponsorship,
    Vote,
)
from members.core import clock
from tests.convention.amendment_helpers import NEW_TEXT_2, signatories
from tests.factories import UserFactory
from tests.helpers import assert_error, login_staff, token_client

pytestmark = pytest.mark.django_db

BASE = "/api/v1/amendments"
DRAFT = {"title": "修改第二条定义", "rationale": "定义需要更新。",
         "changes": [{"kind": "amend", "article_number": 2, "new_text": NEW_TEXT_2}]}


def _deadline(hours: int = 48) -> str:
    return (clock.now() + timedelta(hours=hours)).isoformat()


def test_representatives_propose_sponsor_and_vote_and_staff_open_the_ballot_all_by_token(publisher):
    orgs = signatories(21)  # N = 21: qualified once s = 3 (10·s ≥ N)
    (org_a, rep_a), (org_b, rep_b), (org_c, rep_c), (org_d, rep_d) = orgs[:4]
    a, b, c, d = token_client(rep_a, write=True), token_client(rep_b, write=True), token_client(rep_c, write=True), token_client(rep_d, write=True)

    created = a.post(f"{BASE}/proposals/create/", DRAFT, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["state"] == ProposalState.DRAFT and created.json()["organisation"] == org_a.name
    proposal = Proposal.objects.get(pk=pk)
    assert proposal.source == ProposalSource.MEMBERS and proposal.created_by == rep_a
    assert list(proposal.changes.values_list("article_number", "new_text")) == [(2, NEW_TEXT_2)]

    submitted = a.post(f"{BASE}/proposals/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == ProposalState.SPONSORING

    assert c.post(f"{BASE}/proposals/{pk}/sponsor/").status_code == 201
    withdrawn = c.post(f"{BASE}/proposals/{pk}/withdraw-sponsorship/")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert Proposal.objects.get(pk=pk).state == ProposalState.SPONSORING
    assert_error(c.post(f"{BASE}/proposals/{pk}/withdraw-sponsorship/"), 409, "not_sponsored")

    sponsored = b.post(f"{BASE}/proposals/{pk}/sponsor/")
    assert sponsored.status_code == 201 and sponsored.json()["organisation"] == org_b.name
    assert Proposal.objects.get(pk=pk).state == ProposalState.SPONSORING
    assert d.post(f"{BASE}/proposals/{pk}/sponsor/").status_code == 201
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    assert (proposal.qualified_sponsors, proposal.qualified_signatories) == (3, 21)
    assert_error(b.post(f"{BASE}/proposals/{pk}/sponsor/"), 409, "not_sponsoring")

    opened = token_client(publisher, staff=True).post(f"{BASE}/proposals/{pk}/open-ballot/", {"deadline": _deadline()},
                                          format="json")
    assert opened.status_code == 201, opened.content
    ballot = Ballot.objects.get(proposal_id=pk)
    assert opened.json()["id"] == ballot.pk and opened.json()["electorate_size"] == 21
    assert ballot.opened_by == publisher and ElectorateMember.objects.filter(ballot=ballot).count() == 21

    vote = a.post(f"{BASE}/ballots/{ballot.pk}/vote/", {"choice": "yes"}, format="json")
    assert vote.status_code == 201 and vote.json()["choice"] == "yes"
    assert Vote.objects.get(ballot=ballot, organisation=org_a).cast_by == rep_a
    assert_error(a.post(f"{BASE}/ballots/{ballot.pk}/vote/", {"choice": "no"}, format="json"), 409, "already_voted")
    assert c.post(f"{BASE}/ballots/{ballot.pk}/vote/", {"choice": "abstain"}, format="json").status_code == 201
    tally = APIClient().get(f"{BASE}/ballots/{ballot.pk}/").json()
    assert (tally["yes"], tally["abstain"]) == (1, 1)
    actions = list(ProposalEvent.objects.filter(proposal_id=pk).order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "submit", "sponsor", "withdraw_sponsorship", "sponsor", "sponsor", "qualify",
                       "open_ballot"]


def test_a_representative_is_refused_staff_actions_with_the_error_shape(publisher):
    (_, rep), *_rest = signatories(1)
    api = token_client(rep, write=True)
    assert_error(api.post(f"{BASE}/proposals/create-executive/", DRAFT, format="json"), 403, "permission_denied")
    created = api.post(f"{BASE}/proposals/create/", DRAFT, format="json").json()
    api.post(f"{BASE}/proposals/{created['id']}/submit/")  # N = 1: qualified at once
    assert Proposal.objects.get(pk=created["id"]).state == ProposalState.QUALIFIED
    refused = api.post(f"{BASE}/proposals/{created['id']}/open-ballot/", {"deadline": _deadline()}, format="json")
    assert_error(refused, 403, "permission_denied")
    assert not Ballot.objects.exists()
    assert_error(APIClient().post(f"{BASE}/proposals/create/", DRAFT, format="json"), 401, "not_authenticated")


def test_another_organisation_cannot_see_or_act_on_a_draft_and_cannot_withdraw_a_proposal():
    (_, rep_a), (_, rep_b) = signatories(2)
    a, b = token_client(rep_a, write=True), token_client(rep_b, write=True)
    pk = a.post(f"{BASE}/proposals/create/", DRAFT, format="json").json()["id"]
    for action in ("submit", "sponsor", "withdraw"):
        assert_error(b.post(f"{BASE}/proposals/{pk}/{action}/"), 404, "not_found")
    assert Proposal.objects.get(pk=pk).state == ProposalState.DRAFT
    a.post(f"{BASE}/proposals/{pk}/submit/")
    assert_error(b.post(f"{BASE}/proposals/{pk}/withdraw/"), 403, "permission_denied")
    withdrawn = a.post(f"{BASE}/proposals/{pk}/withdraw/", {"comment": "另行提出"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == ProposalState.WITHDRAWN
    assert ProposalEvent.objects.filter(proposal_id=pk, action="withdraw", actor=rep_a).exists()
    # An account without an organisation is refused by the service.
    assert_error(token_client(UserFactory(), write=True).post(f"{BASE}/proposals/create/", DRAFT, format="json"), 403,
                 "no_organisation")


def test_bad_input_is_a_400_with_code_message_and_fields(publisher):
    (_, rep), *_rest = signatories(1)
    api = token_client(rep, write=True)
    error = assert_error(api.post(f"{BASE}/proposals/create/", {**DRAFT, "title": ""}, format="json"), 400,
                         "invalid")
    assert "title" in error["fields"]
    error = assert_error(api.post(f"{BASE}/proposals/create/", {"rationale": "x", "changes": DRAFT["changes"]},
                                  format="json"), 400, "invalid")
    assert "title" in error["fields"]
    unknown = {**DRAFT, "changes": [{"kind": "amend", "article_number": 999, "new_text": "x"}]}
    error = assert_error(api.post(f"{BASE}/proposals/create/", unknown, format="json"), 400, "no_such_article")
    assert "999" in error["fields"]["changes"][0]
    assert not Proposal.objects.exists()

    pk = api.post(f"{BASE}/proposals/create/", DRAFT, format="json").json()["id"]
    api.post(f"{BASE}/proposals/{pk}/submit/")
    ballot_pk = token_client(publisher, staff=True).post(f"{BASE}/proposals/{pk}/open-ballot/", {"deadline": _deadline()},
                                             format="json").json()["id"]
    error = assert_error(api.post(f"{BASE}/ballots/{ballot_pk}/vote/", {"choice": "maybe"}, format="json"), 400,
                         "invalid")
    assert "choice" in error["fields"]
    assert not Vote.objects.exists()


def test_a_vote_after_the_deadline_is_refused(publisher, monkeypatch):
    (_, rep), *_rest = signatories(1)
    api = token_client(rep, write=True)
    pk = api.post(f"{BASE}/proposals/create/", DRAFT, format="json").json()["id"]
    api.post(f"{BASE}/proposals/{pk}/submit/")
    ballot_pk = token_client(publisher, staff=True).post(f"{BASE}/proposals/{pk}/open-ballot/", {"deadline": _deadline()},
                                             format="json").json()["id"]
    deadline = Ballot.objects.get(pk=ballot_pk).deadline
    monkeypatch.setattr(clock, "now", lambda: deadline + timedelta(minutes=1))
    assert_error(api.post(f"{BASE}/ballots/{ballot_pk}/vote/", {"choice": "yes"}, format="json"), 409,
                 "ballot_closed")
    assert not Vote.objects.exists()


def test_staff_open_a_ballot_in_a_verified_browser_session_but_not_without_the_second_factor(publisher, reviewer):
    (_, rep), *_rest = signatories(1)
    api = token_client(rep, write=True)
    pk = api.post(f"{BASE}/proposals/create/", DRAFT, format="json").json()["id"]
    api.post(f"{BASE}/proposals/{pk}/submit/")
    url = f"{BASE}/proposals/{pk}/open-ballot/"
    body = {"deadline": _deadline(), "effective_date": (clock.today() + timedelta(days=10)).isoformat()}

    unverified = APIClient()
    unverified.force_login(publisher)  # password only: staff permissions do not count
    assert_error(unverified.post(url, body, format="json"), 403, "permission_denied")
    other_staff = login_staff(APIClient(), reviewer)  # verified, but not in the publisher group
    assert_error(other_staff.post(url, body, format="json"), 403, "permission_denied")
    assert not Ballot.objects.exists()

    session = login_staff(APIClient(), publisher)
    past = session.post(url, {"deadline": (clock.now() - timedelta(hours=1)).isoformat()}, format="json")
    assert "deadline" in assert_error(past, 400, "deadline_past")["fields"]
    opened = session.post(url, body, format="json")
    assert opened.status_code == 201, opened.content
    assert Ballot.objects.get(proposal_id=pk).effective_date == clock.today() + timedelta(days=10)


def test_staff_create_and_submit_an_executive_proposal(publisher, reviewer):
    signatories(1)
    staff = token_client(publisher, staff=True)
    created = staff.post(f"{BASE}/proposals/create-executive/", DRAFT, format="json")
    assert created.status_code == 201 and created.json()["source"] == ProposalSource.EXECUTIVE
    assert created.json()["organisation"] is None
    pk = created.json()["id"]
    assert_error(token_client(reviewer, staff=True).post(f"{BASE}/proposals/{pk}/submit/"), 404)
    submitted = staff.post(f"{BASE}/proposals/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == ProposalState.QUALIFIED
    assert not Sponsorship.objects.exists()


def test_the_schema_describes_every_action_with_its_input(client):
    spec = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("create/", "create-executive/", "{id}/submit/", "{id}/sponsor/", "{id}/withdraw-sponsorship/",
                 "{id}/withdraw/", "{id}/open-ballot/"):
        assert "post" in spec["paths"][f"/api/v1/amendments/proposals/{path}"], path
    vote = spec["paths"]["/api/v1/amendments/ballots/{id}/vote/"]["post"]
    assert "requestBody" in vote and {"201", "400", "403", "409"} <= set(vote["responses"])
    assert "post" in spec["paths"]["/api/v1/bulletins/publish-now/"]
