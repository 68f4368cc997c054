"""``manage.py verify_register``: all agree, or the first divergence named, exit 1."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from members.core import clock
from members.models import MembershipEvent
from members.publications.models import PublicationFile
from members.publications.services import file_path, publication_publish_sync
from members.transparency.models import LogEntry
from tests.factories import OrganisationFactory, make_signatory, revoke, withdraw
from tests.helpers import act


@pytest.fixture
def register(db, settings):
    settings.PUBLICATIONS_RENDER_JOBS = 1
    a = make_signatory(OrganisationFactory(name="甲骨文数字政务科技有限公司"), on=date(2025, 1, 10))
    b = make_signatory(OrganisationFactory(name="乙丙丁软件服务有限公司"), on=date(2025, 1, 20))
    withdraw(b, date(2025, 1, 25), reason="私密理由")
    c = make_signatory(OrganisationFactory(name="辛壬癸信息技术有限公司"), on=date(2025, 1, 5))
    revoke(c, date(2025, 1, 28), reason="内部", public_notice="违反公约第十二条")
    first = publication_publish_sync(act(), "2025-01")
    make_signatory(OrganisationFactory(name="子丑寅科技有限公司"), on=date(2025, 2, 3))
    second = publication_publish_sync(act(), "2025-02")
    return a, first, second


def _run() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_register", stdout=out)
    return out.getvalue()


def test_it_reports_that_every_entry_and_bulletin_agrees(register):
    out = _run()
    n = LogEntry.objects.count()
    assert f"all {n} entries and 2 bulletins agree" in out
    # The second bulletin prints the first's head and a consistency proof between them.
    _a, first, second = register
    data = json.loads(file_path(PublicationFile.objects.get(publication=second, kind="json")).read_bytes())
    t = data["transparency"]
    assert t["previous"]["bulletin_number"] == first.number and t["log_head"]["size"] > t["previous"]["size"]
    assert t["files"]["pdf"] == PublicationFile.objects.get(publication=second, kind="pdf").sha256
    assert LogEntry.objects.filter(kind="bulletin").count() == 2


def test_a_past_event_rewritten_in_the_database_is_named(register):
    a, _first, _second = register
    event = MembershipEvent.objects.get(organisation=a)
    with connection.cursor() as cursor:  # bypasses the append-only guards, as an intruder would
        cursor.execute("UPDATE members_membershipevent SET effective_date = %s WHERE id = %s",
                       ["2024-12-01", event.pk])
    with pytest.raises(CommandError) as exc:
        _run()
    assert exc.value.returncode == 1
    message = str(exc.value)
    assert f"membership_event:{event.pk}" in message and "effective_date" in message and "2024-12-01" in message


def test_a_rewritten_entry_or_a_deleted_fact_is_named(register):
    entry = LogEntry.objects.filter(kind="membership_event").order_by("index")[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE transparency_logentry SET body = REPLACE(body, '第二十三条', '第一条') WHERE id = %s",
                       [entry.pk])
    with pytest.raises(CommandError, match=f"entry #{entry.index} .*leaf hash"):
        _run()


def test_a_fact_written_behind_the_services_back_is_named(register):
    a, _first, _second = register
    membership = a.memberships.get()
    MembershipEvent.objects.bulk_create([MembershipEvent(
        organisation=a, membership=membership, kind="withdrew", effective_date=date(2025, 3, 1),
        recorded_at=clock.now() - timedelta(days=1), legal_basis="第二十五条")])
    sneaked = MembershipEvent.objects.order_by("-id").first()
    with pytest.raises(CommandError, match=f"membership_event:{sneaked.pk} is a public fact with no log entry"):
        _run()


def test_a_stored_bulletin_file_altered_on_disk_is_named(register):
    _a, first, _second = register
    path = file_path(PublicationFile.objects.get(publication=first, kind="csv"))
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(CommandError, match=f"bulletin {first.number}: its stored csv file"):
        _run()


def test_ballot_opening_result_and_the_adopted_version_are_logged(publisher, settings):
    from convention.amendments import services as amendments
    from tests.convention.amendment_helpers import executive_ballot, signatories

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    orgs = signatories(3)
    ballot = executive_ballot(publisher)
    opened = json.loads(LogEntry.objects.get(source=f"ballot_opened:{ballot.pk}").body)
    assert (opened["electorate_size"], opened["electorate_sha256"]) == (3, ballot.electorate_sha256)
    for _org, rep in orgs[:2]:
        amendments.ballot_cast(act(rep), ballot, choice="yes")
    closed = json.loads(LogEntry.objects.get(source=f"ballot_closed:{ballot.pk}").body)
    assert (closed["outcome"], closed["yes"]) == ("adopted", 2)
    version = LogEntry.objects.filter(kind="convention_version").order_by("-index").first()
    assert json.loads(version.body)["number"] == 2
    assert version.index > LogEntry.objects.get(source=f"ballot_closed:{ballot.pk}").index
    assert "all" in _run()


def test_a_rename_after_the_fact_keeps_every_past_entry_in_agreement(register, reviewer):
    """Entries carry the details of their own date, so a later rename rewrites nothing in the past."""
    from members.history import organisation_details_change

    a, _first, _second = register
    organisation_details_change(act(reviewer), a, data={"name": "甲骨文数字政务科技（集团）有限公司"},
                                reason="更名")
    a.refresh_from_db()
    assert a.name == "甲骨文数字政务科技（集团）有限公司"
    out = _run()
    assert f"all {LogEntry.objects.count()} entries and 2 bulletins agree" in out
