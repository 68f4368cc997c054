"""The demo amendments: a living convention (version 2 adopted by ballot, a rejection, an open ballot)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from convention.amendments.models import Ballot, Proposal, ProposalState
from convention.models import ConventionVersion
from members.selectors import registry_inconsistencies
from tests.convention.amendment_helpers import ensure_version_1


def test_it_loads_an_adopted_a_rejected_and_an_open_ballot_once(db, client):
    ensure_version_1()
    call_command("seed_demo", orgs=30, seed=7, stdout=StringIO())
    call_command("seed_complaints_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_amendments_demo", stdout=out)

    adopted, rejected, still_open = Ballot.objects.order_by("id")
    assert (adopted.outcome, rejected.outcome, still_open.state) == ("adopted", "rejected", "open")
    assert 3 * adopted.yes_count >= 2 * adopted.electorate_size
    v2 = ConventionVersion.objects.get(number=2)
    assert adopted.proposal.resulting_version == v2 and "公众号" in v2.articles.get(number=2).text
    assert "公众号" not in ConventionVersion.objects.get(number=1).articles.get(number=2).text
    assert Proposal.objects.filter(state=ProposalState.SPONSORING).exists()
    assert registry_inconsistencies() == []
    assert "convention version 2" in out.getvalue()

    # The public diff shows the words that changed.
    page = client.get("/convention/diff/?from=1&to=2").content.decode()
    assert "<ins" in page and "公众号" in page[page.index("<ins"):][:200]

    call_command("seed_amendments_demo", once=True, stdout=StringIO())
    assert Ballot.objects.count() == 3
