"""The public log: entries appended with their facts, canonical and public only, heads and proofs."""

from __future__ import annotations

import json
from datetime import UTC, date

import pytest

from members import services
from members.core.errors import Conflict
from members.demo import seed_register
from members.models import MembershipEvent
from members.transparency import merkle, selectors
from members.transparency.canonical import KINDS, canonical_bytes
from members.transparency.models import LogEntry, LogNode
from members.transparency.services import log_append, log_backfill
from tests.factories import OrganisationFactory, make_signatory, revoke, withdraw
from tests.helpers import act


def _bodies() -> list[bytes]:
    return [e.body.encode() for e in LogEntry.objects.order_by("index")]


def test_canonical_form_is_sorted_compact_utf8() -> None:
    assert canonical_bytes({"b": 1, "a": ["中", None, True]}) == '{"a":["中",null,true],"b":1}'.encode()
    with pytest.raises(ValueError):
        canonical_bytes({"x": float("nan")})


def test_it_appends_one_entry_per_membership_event_in_the_same_transaction(db, org_a):
    before = selectors.log_size()
    make_signatory(org_a, on=date(2025, 1, 15))
    event = MembershipEvent.objects.get(organisation=org_a)
    entry = LogEntry.objects.get(source=f"membership_event:{event.pk}")
    assert entry.index == before and selectors.log_size() == before + 1
    assert entry.organisation_id == org_a.pk
    body = json.loads(entry.body)
    assert body == {
        "format": "register-log/1", "kind": "membership_event", "v": 1, "event_id": event.pk, "event": "joined",
        "membership_id": event.membership_id, "effective_date": "2025-01-15",
        "recorded_at": event.recorded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "legal_basis": "第二十三条",
        "organisation": {"name": org_a.name, "name_en": org_a.name_en, "roles": ["developer"], "region": "110000",
                         "uscc_public": org_a.public_uscc},
    }
    assert entry.body.encode() == KINDS["membership_event"].entry(event)
    assert bytes.fromhex(entry.leaf_hash) == merkle.leaf_hash(entry.body.encode())
    # The same fact twice is still one entry.
    assert log_append("membership_event", event).pk == entry.pk and selectors.log_size() == before + 1


def test_a_refused_service_appends_nothing(db, org_a):
    make_signatory(org_a)
    size = selectors.log_size()
    with pytest.raises(Conflict):
        services.membership_start(act(None), org_a, effective_date=date(2025, 2, 1))
    assert selectors.log_size() == size == LogEntry.objects.count()


def test_private_data_never_enters_the_log(db):
    org = make_signatory(OrganisationFactory(), on=date(2025, 1, 10))
    withdraw(org, date(2025, 3, 20), reason="私密理由不公开")
    other = make_signatory(OrganisationFactory(), on=date(2025, 2, 1))
    revoke(other, date(2025, 3, 25), reason="内部核查记录", public_notice="违反公约第十二条，予以通报")
    text = "".join(e.body for e in LogEntry.objects.all())
    for o in (org, other):
        for private in (o.contact_name, o.contact_phone, o.contact_email):
            assert private and private not in text
    assert "私密理由不公开" not in text and "内部核查记录" not in text and "test" not in text
    assert "违反公约第十二条，予以通报" in text  # the public notice is public


def test_an_individual_business_code_enters_the_log_masked(db):
    from tests.factories import valid_uscc

    org = make_signatory(OrganisationFactory(uscc=valid_uscc(prefix="92")))
    body = LogEntry.objects.get(organisation_id=org.pk).body
    assert org.uscc not in body and org.public_uscc in body


def test_heads_and_proofs_from_stored_nodes_match_a_tree_built_from_the_bodies(db):
    for i in range(13):
        make_signatory(OrganisationFactory(), on=date(2025, 1, 1 + i))
    bodies = _bodies()
    n = len(bodies)
    tree = merkle.MemoryTree(bodies)
    for size in range(1, n + 1):
        head = selectors.head(size)
        assert head.root == merkle.reference_root(bodies[:size])
        for index in (0, size // 2, size - 1):
            merkle.verify_inclusion(index, size, merkle.leaf_hash(bodies[index]),
                                    selectors.inclusion_proof(index, size), head.root)
        for first in range(1, size + 1):
            assert selectors.consistency_proof(first, size) == tree.consistency(first, size)
    assert selectors.head(0).root == merkle.EMPTY_ROOT
    # Complete subtrees only: fewer than two nodes per entry.
    assert LogNode.objects.count() < 2 * n


def test_backfill_logs_bulk_created_facts_once_in_time_order(db):
    seed_register(30, seed=7, today=date(2026, 11, 30))
    events = MembershipEvent.objects.count()
    logged = LogEntry.objects.filter(kind="membership_event")
    assert logged.count() == events
    assert log_backfill() == 0
    # Appended after what was logged before (version 1 of the convention), oldest fact first.
    times = [e.logged_at for e in logged.order_by("index")]
    assert times == sorted(times)
    assert selectors.head().root == merkle.reference_root(_bodies())
