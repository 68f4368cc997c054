"""Version 2 of the convention's entry kinds carries their effective dates; version 1 entries, already
logged, keep their bytes and still verify."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from convention.amendments import services as amendments
from members.core import clock
from members.transparency.canonical import KINDS
from members.transparency.models import LogEntry
from tests.clockwork import at
from tests.helpers import act


def _body(source: str) -> dict:
    return json.loads(LogEntry.objects.get(source=source).body)


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_register", stdout=out)
    return out.getvalue()


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_ballot_and_version_entries_carry_their_dates(db, publisher, fast_hasher):
    from tests.convention.amendment_helpers import signatories

    with at(date(2025, 3, 3)):
        orgs = signatories(3)
        proposal = amendments.proposal_create(act(publisher), title="执行机构修订提议", rationale="执行机构提出。",
                                              executive=True,
                                              changes=[{"kind": "amend", "article_number": 2, "new_text": "新定义。"}])
        amendments.proposal_submit(act(publisher), proposal)
        deadline = timezone.make_aware(datetime.combine(date(2025, 3, 20), time(18, 0)))
        ballot = amendments.ballot_open(act(publisher), proposal, deadline=deadline, effective_date=date(2025, 4, 1))
    opened = _body(f"ballot_opened:{ballot.pk}")
    assert opened["v"] == 2
    assert (opened["opened_on"], opened["deadline_on"], opened["effective_date_if_adopted"]) == (
        "2025-03-03", "2025-03-20", "2025-04-01")
    with at(date(2025, 3, 5)):  # two of three: certain before the deadline
        for _org, rep in orgs[:2]:
            amendments.ballot_cast(act(rep), ballot, choice="yes")
    closed = _body(f"ballot_closed:{ballot.pk}")
    assert closed["v"] == 2 and closed["outcome"] == "adopted"
    assert (closed["decided_on"], closed["effective_date"]) == ("2025-03-05", "2025-04-01")
    assert closed["deadline"] == "2025-03-20T10:00:00Z"
    ballot.proposal.refresh_from_db()
    version = ballot.proposal.resulting_version
    entry = _body(f"convention_version:{version.pk}")
    assert entry["v"] == 2 and entry["number"] == version.number
    # The entry and the version say the same day, the one the convention page shows.
    assert entry["effective_date"] == version.effective_date.isoformat() == "2025-04-01"
    assert "all" in _verify()


def test_a_rejected_ballot_has_a_result_day_and_no_effective_date(db, publisher, fast_hasher):
    from tests.convention.amendment_helpers import executive_ballot, signatories

    orgs = signatories(3)
    ballot = executive_ballot(publisher)
    for _org, rep in orgs[:2]:
        amendments.ballot_cast(act(rep), ballot, choice="no")
    closed = _body(f"ballot_closed:{ballot.pk}")
    assert closed["outcome"] == "rejected"
    assert closed["effective_date"] is None
    assert closed["decided_on"] == timezone.localtime(clock.now()).date().isoformat()


def test_entries_logged_as_version_1_keep_their_bytes_and_verify(db, publisher, fast_hasher, monkeypatch):
    """A log written before version 2 existed: its entries are re-derived as version 1, byte for byte."""
    from tests.convention.amendment_helpers import executive_ballot, signatories

    v1 = {name: dataclasses.replace(KINDS[name], version=1, body=KINDS[name].older[1], older={})
          for name in ("convention_version", "ballot_opened", "ballot_closed")}
    orgs = signatories(3)
    with monkeypatch.context() as m:
        for name, kind in v1.items():
            m.setitem(KINDS, name, kind)
        old_ballot = executive_ballot(publisher)
        for _org, rep in orgs[:2]:
            amendments.ballot_cast(act(rep), old_ballot, choice="yes")
    old = {s: LogEntry.objects.get(source=s).body for s in (f"ballot_opened:{old_ballot.pk}",
                                                              f"ballot_closed:{old_ballot.pk}")}
    assert all(json.loads(b)["v"] == 1 and "decided_on" not in b and "opened_on" not in b for b in old.values())
    old_version = LogEntry.objects.filter(kind="convention_version").order_by("-index").first()
    assert json.loads(old_version.body)["v"] == 1 and "effective_date" not in json.loads(old_version.body)

    # Version 2 from now on; the version 1 entries are untouched and the whole log still agrees.
    with at(clock.now() + timedelta(days=3)):
        new_ballot = executive_ballot(publisher)
    assert _body(f"ballot_opened:{new_ballot.pk}")["v"] == 2
    assert {s: LogEntry.objects.get(source=s).body for s in old} == old
    assert "all" in _verify()

    # A version 1 entry whose source row changed is still caught, in version 1's terms.
    type(old_ballot).objects.filter(pk=old_ballot.pk).update(yes_count=3)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _verify()


def test_an_entry_naming_an_unknown_version_is_a_divergence(db, publisher, fast_hasher):
    from members.transparency.verification import verify_register
    from tests.convention.amendment_helpers import executive_ballot, signatories

    signatories(3)
    ballot = executive_ballot(publisher)
    kind = KINDS["ballot_opened"]
    with pytest.raises(KeyError):
        kind.entry(ballot, 9)
    forged = json.loads(LogEntry.objects.get(source=f"ballot_opened:{ballot.pk}").body)
    forged["v"] = 9
    from members.transparency import merkle
    from members.transparency.canonical import canonical_bytes

    body = canonical_bytes(forged)
    with connection.cursor() as cursor:  # the log is append-only to the ORM: forge it in SQL
        cursor.execute("UPDATE transparency_logentry SET body = %s, leaf_hash = %s WHERE source = %s",
                       [body.decode(), merkle.leaf_hash(body).hex(), f"ballot_opened:{ballot.pk}"])
    report = verify_register()
    assert report.divergence and f"ballot_opened:{ballot.pk}" in report.divergence and "version" in report.divergence
