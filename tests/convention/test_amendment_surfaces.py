"""Art 24 surfaces: public tally page and API, electorate download, portal sponsoring and voting, admin."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest

from convention.amendments import tally
from convention.amendments.models import Ballot, Proposal, ProposalState, Sponsorship, Vote
from members.core import clock
from members.models import Notification
from tests.convention.amendment_helpers import NEW_TEXT_2, executive_ballot, member_proposal, signatories
from tests.helpers import act, login_staff

pytestmark = pytest.mark.django_db


def test_it_publishes_everything_needed_to_recompute_the_tally_and_nothing_private(publisher, client):
    orgs = signatories(4)
    ballot = executive_ballot(publisher)
    from convention.amendments import services

    services.ballot_cast(act(orgs[0][1]), ballot, choice="yes")
    services.ballot_cast(act(orgs[1][1]), ballot, choice="no")
    page = client.get(f"/convention/ballots/{ballot.pk}/").content.decode()
    assert ballot.electorate_sha256 in page and orgs[0][0].name in page and "3·Y ≥ 2·N" in page
    for org, _ in orgs:
        assert org.contact_email not in page and org.contact_phone not in page and org.contact_name not in page

    data = client.get(f"/api/v1/amendments/ballots/{ballot.pk}/").json()
    assert data["electorate_size"] == 4 and data["yes_needed"] == 3
    assert (data["yes"], data["no"], data["abstain"]) == (1, 1, 0)
    named = {row["uscc"]: row["choice"] for row in data["ballots"]}
    assert named[orgs[0][0].uscc] == "yes" and named[orgs[1][0].uscc] == "no" and named[orgs[2][0].uscc] is None
    body = client.get(data["electorate_url"]).content
    assert hashlib.sha256(body).hexdigest() == data["electorate_sha256"]
    assert sorted(body.decode().split()) == sorted(named)
    # Anyone can recompute the outcome from the published record.
    assert tally.adopted(sum(c == "yes" for c in named.values()), data["electorate_size"]) is False
    text = str(data)
    assert not any(org.contact_email in text for org, _ in orgs)

    listed = client.get("/api/v1/amendments/proposals/").json()
    assert listed[0]["changes"][0]["new_text"] == NEW_TEXT_2 and listed[0]["ballot"] == ballot.pk
    assert client.get("/convention/amendments/").status_code == 200
    # The comparison marks changed characters with <ins>/<del>: the new text reads whole once tags are gone.
    proposal_page = client.get(f"/convention/amendments/{ballot.proposal_id}/").content.decode()
    assert NEW_TEXT_2.split("\n")[0] in re.sub(r"<del>.*?</del>|<[^>]+>", "", proposal_page)


def test_it_masks_individual_business_codes_in_the_list_and_the_hash(publisher, client):
    from tests.factories import OrganisationFactory, make_representative, make_signatory, valid_uscc

    person = make_signatory(OrganisationFactory(uscc=valid_uscc(prefix="92")))
    make_representative(person)
    ballot = executive_ballot(publisher)
    body = client.get(f"/convention/ballots/{ballot.pk}/electorate.txt").content.decode()
    assert person.uscc not in body and person.public_uscc in body
    assert hashlib.sha256(body.encode()).hexdigest() == ballot.electorate_sha256
    assert person.uscc not in client.get(f"/convention/ballots/{ballot.pk}/").content.decode()


def test_it_hides_drafts_from_the_public(client):
    orgs = signatories(2)
    from convention.amendments import services

    draft = services.proposal_create(act(orgs[0][1]), title="草稿提议", rationale="r",
                                     changes=[{"kind": "remove", "article_number": 3}])
    assert client.get(f"/convention/amendments/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/amendments/proposals/{draft.pk}/").status_code == 404
    client.force_login(orgs[1][1])
    assert client.get(f"/portal/amendments/proposals/{draft.pk}/").status_code == 404


def test_it_lets_a_representative_draft_and_submit_a_proposal_in_the_portal(client):
    orgs = signatories(3)  # N = 3: the proposer alone is one tenth (10·1 ≥ 3)
    client.force_login(orgs[0][1])
    import re

    page = client.get("/portal/amendments/proposals/new/").content.decode()
    extra_select = re.search(r'<select name="changes-1-kind"[^>]*>\s*<option value="" selected>', page)
    assert extra_select, "an extra change form must start blank, or the browser submits it as filled in"
    response = client.post("/portal/amendments/proposals/new/", {
        "title": "修改第二条", "rationale": "理由",
        "changes-TOTAL_FORMS": "3", "changes-INITIAL_FORMS": "0", "changes-MIN_NUM_FORMS": "1",
        "changes-MAX_NUM_FORMS": "20",
        "changes-0-kind": "amend", "changes-0-article_number": "2", "changes-0-new_text": NEW_TEXT_2,
        # What a browser sends for the two extra forms left empty: the select's blank first option.
        "changes-1-kind": "", "changes-1-article_number": "", "changes-1-new_text": "",
        "changes-2-kind": "", "changes-2-article_number": "", "changes-2-new_text": "",
    })
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.state == ProposalState.DRAFT
    assert proposal.organisation == orgs[0][0] and proposal.changes.get().new_text == NEW_TEXT_2
    client.post(f"/portal/amendments/proposals/{proposal.pk}/submit/")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    assert (proposal.qualified_sponsors, proposal.qualified_signatories) == (1, 3)


def test_it_shows_a_wrong_article_number_next_to_the_form(client):
    orgs = signatories(1)
    client.force_login(orgs[0][1])
    response = client.post("/portal/amendments/proposals/new/", {
        "title": "t", "rationale": "r", "changes-TOTAL_FORMS": "1", "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "1", "changes-MAX_NUM_FORMS": "20",
        "changes-0-kind": "amend", "changes-0-article_number": "500", "changes-0-new_text": "x",
    })
    assert response.status_code == 200 and "现行文本没有第 500 条" in response.content.decode()
    assert not Proposal.objects.exists()


def test_it_shows_member_proposals_to_sponsor_and_records_sponsoring_from_the_portal(client):
    orgs = signatories(12)  # N = 12 needs 2
    proposal = member_proposal(orgs[0][1], title="征集中的提议")
    client.force_login(orgs[1][1])
    assert "征集中的提议" in client.get("/portal/amendments/").content.decode()
    assert Notification.objects.filter(organisation=orgs[1][0], kind="amendment_sponsoring").exists()
    response = client.post(f"/portal/amendments/proposals/{proposal.pk}/sponsor/", follow=True)
    assert "贵单位已联署该修订提议" in response.content.decode()
    assert Sponsorship.objects.filter(proposal=proposal, organisation=orgs[1][0]).exists()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED


def test_it_lets_a_representative_cast_one_ballot_in_the_portal(client, publisher):
    orgs = signatories(4)
    ballot = executive_ballot(publisher)
    client.force_login(orgs[0][1])
    assert ballot.proposal.title in client.get("/portal/amendments/").content.decode()
    response = client.post(f"/portal/amendments/ballots/{ballot.pk}/", {"choice": "yes"}, follow=True)
    assert "选票已投出" in response.content.decode()
    vote = Vote.objects.get(ballot=ballot)
    assert (vote.organisation, vote.choice, vote.cast_by) == (orgs[0][0], "yes", orgs[0][1])
    again = client.post(f"/portal/amendments/ballots/{ballot.pk}/", {"choice": "no"})
    assert "已投票" in again.content.decode() and Vote.objects.filter(ballot=ballot).count() == 1


def test_it_shows_the_deadline_refusal_next_to_the_form(client, publisher, monkeypatch):
    orgs = signatories(2)
    ballot = executive_ballot(publisher, hours=1)
    monkeypatch.setattr(clock, "now", lambda: ballot.deadline + timedelta(seconds=1))
    client.force_login(orgs[0][1])
    response = client.post(f"/portal/amendments/ballots/{ballot.pk}/", {"choice": "yes"})
    assert "不再接受投票" in response.content.decode() and not Vote.objects.exists()


def test_it_lets_the_publisher_draft_an_executive_proposal_and_open_a_ballot_in_the_admin(client, publisher):
    orgs = signatories(3)
    login_staff(client, publisher)
    response = client.post("/admin/convention/proposal/add/", {
        "title": "执行机构提议", "rationale": "理由",
        "changes-TOTAL_FORMS": "1", "changes-INITIAL_FORMS": "0", "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
        "changes-0-kind": "amend", "changes-0-article_number": "2", "changes-0-new_text": NEW_TEXT_2,
        "sponsorships-TOTAL_FORMS": "0", "sponsorships-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get()
    assert proposal.source == "executive" and proposal.changes.count() == 1
    client.post("/admin/convention/proposal/", {"action": "submit_selected", "_selected_action": [proposal.pk]})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    page = client.get(f"/admin/convention/proposal/{proposal.pk}/change/").content.decode()
    assert f"/admin/convention/proposal/{proposal.pk}/open-ballot/" in page
    deadline = (clock.now() + timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
    response = client.post(f"/admin/convention/proposal/{proposal.pk}/open-ballot/", {"deadline": deadline})
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and ballot.electorate_size == 3 and ballot.opened_by == publisher
    assert client.get(f"/admin/convention/ballot/{ballot.pk}/change/").status_code == 200
    assert client.get("/admin/convention/ballot/add/").status_code == 403
    assert len(orgs) == ballot.electorate.count()


def test_the_portal_offers_drafting_and_sponsoring_to_signatories_only(client):
    from members import services as member_services

    orgs = signatories(12)
    proposal = member_proposal(orgs[0][1], title="征集中的提议")
    former_org, former_rep = orgs[1]
    member_services.membership_revoke(act(), former_org, reason="查证属实",
                                      public_notice="取消成员资格并向社会通报。")
    client.force_login(former_rep)
    index = client.get("/portal/amendments/").content.decode()
    assert "起草修订提议" not in index and "只有现签署成员可以提出或联署修订提议。" in index
    assert 'id="sponsor"' not in client.get(f"/portal/amendments/proposals/{proposal.pk}/").content.decode()
    client.force_login(orgs[2][1])
    assert 'id="sponsor"' in client.get(f"/portal/amendments/proposals/{proposal.pk}/").content.decode()
