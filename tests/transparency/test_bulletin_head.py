"""A bulletin prints the log's head as of its period's end, whenever it is rendered: a re-render later
gives the same bytes, the bulletin's facts are provably under that head, and the head is provably a
prefix of today's log."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest
from django.db import connection

from members.models import MembershipEvent
from members.publications.models import PublicationFile
from members.publications.services import file_path, publication_publish_sync, render_files
from members.transparency import selectors
from members.transparency import verify_register as standalone
from members.transparency.models import BulletinHead, LogEntry
from tests.clockwork import at
from tests.factories import OrganisationFactory, make_signatory, revoke, withdraw
from tests.helpers import act


def _entry(event: MembershipEvent) -> LogEntry:
    return LogEntry.objects.get(source=f"membership_event:{event.pk}")


def _printed(pub) -> dict:
    f = pub.files.get(kind=PublicationFile.Kind.JSON)
    return json.loads(file_path(f).read_bytes())["transparency"]


@pytest.fixture
def january(db, settings):
    settings.PUBLICATIONS_RENDER_JOBS = 1
    a = make_signatory(OrganisationFactory(name="甲骨文数字政务科技有限公司"), on=date(2025, 1, 10))
    b = make_signatory(OrganisationFactory(name="乙丙丁软件服务有限公司"), on=date(2025, 1, 20))
    revoke(b, date(2025, 1, 31), public_notice="违反公约第十二条")
    # Facts of February are logged before January's bulletin is first rendered.
    c = make_signatory(OrganisationFactory(name="子丑寅科技有限公司"), on=date(2025, 2, 3))
    with at(date(2025, 2, 5)):
        pub = publication_publish_sync(act(), "2025-01")
    return a, b, c, pub


def test_the_head_covers_exactly_the_facts_logged_by_the_period_end(january):
    a, b, c, pub = january
    head = _printed(pub)["log_head"]
    january_events = MembershipEvent.objects.filter(organisation__in=[a, b])
    assert january_events.count() == 3
    # Every January fact is under the head, the first February fact is the first entry after it.
    assert all(_entry(ev).index < head["size"] for ev in january_events)
    assert head["size"] == _entry(MembershipEvent.objects.get(organisation=c)).index
    assert head == selectors.head(head["size"]).as_dict()
    assert _printed(pub)["log_head_as_of"] == "2025-02-01T00:00:00+08:00"


def test_a_reader_proves_each_listed_fact_under_the_head_and_the_head_under_today_s(january):
    _a, _b, _c, pub = january
    head = _printed(pub)["log_head"]
    root = base64.b64decode(head["root"])
    listed = json.loads(file_path(pub.files.get(kind="json")).read_bytes())
    listed_names = {row["name"] for section in ("joined", "revoked") for row in listed[section]}
    assert listed_names == {"甲骨文数字政务科技有限公司", "乙丙丁软件服务有限公司"}
    for ev in MembershipEvent.objects.filter(effective_date__lte=pub.period_end):
        entry = _entry(ev)
        proof = selectors.inclusion_proof(entry.index, head["size"])
        standalone.verify_inclusion(entry.index, head["size"], standalone.leaf_hash(entry.body.encode()), proof, root)
    # Today's log (with February's facts and the bulletin's own entry) extends the printed head.
    now = selectors.head()
    assert now.size > head["size"]
    standalone.verify_consistency(head["size"], now.size, selectors.consistency_proof(head["size"], now.size),
                                  root, now.root)
    # A head that is not the log's at that size fails the same check.
    with pytest.raises(standalone.VerificationError):
        standalone.verify_consistency(head["size"], now.size, selectors.consistency_proof(head["size"], now.size),
                                      bytes(32), now.root)


def test_a_later_re_render_gives_the_same_bytes_even_without_the_recorded_head(january, tmp_path):
    a, _b, _c, pub = january
    stored = {f.kind: f.sha256 for f in pub.files.all()}
    withdraw(a, date(2025, 2, 20))  # more facts after the first render
    with at(date(2025, 3, 2)):
        publication_publish_sync(act(), "2025-02")
    (tmp_path / "again").mkdir()
    files, _pages = render_files(pub, tmp_path / "again")
    assert {f.kind: f.sha256 for f in files} == stored
    # The head is a function of the period, not of the render: forget the recorded one, render again.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM transparency_bulletinhead WHERE publication_id = %s", [pub.pk])
    (tmp_path / "third").mkdir()
    files, _pages = render_files(pub, tmp_path / "third")
    assert {f.kind: f.sha256 for f in files} == stored
    assert BulletinHead.objects.get(publication=pub).size == _printed(pub)["log_head"]["size"]


def test_the_next_bulletin_prints_this_head_and_proves_its_log_extends_it(january):
    a, _b, _c, first = january
    withdraw(a, date(2025, 2, 20))
    with at(date(2025, 3, 2)):
        second = publication_publish_sync(act(), "2025-02")
    document = json.loads(file_path(second.files.get(kind="json")).read_bytes())
    t = document["transparency"]
    assert t["previous"]["bulletin_number"] == first.number
    assert t["previous"]["size"] == _printed(first)["log_head"]["size"] < t["log_head"]["size"]
    lines = standalone.check_bulletin(document, {})
    assert any(f"consistent with bulletin {first.number}" in line for line in lines)
    # February's head covers January's bulletin entry (published on 5 February) and February's facts.
    assert LogEntry.objects.get(source=f"bulletin:{first.pk}").index < t["log_head"]["size"]
