"""The log's API: entries, heads and proofs that the verifier's own functions accept."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from rest_framework.test import APIClient

from members.transparency import merkle, selectors
from members.transparency.models import LogEntry
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import assert_error


@pytest.fixture
def logged(db):
    orgs = [make_signatory(OrganisationFactory(), on=date(2025, 1, 1 + i)) for i in range(9)]
    return orgs


def _b(values: list[str]) -> list[bytes]:
    return [base64.b64decode(v) for v in values]


def test_it_pages_through_entries_in_order(logged):
    client = APIClient()
    first = client.get("/api/v1/log/entries/?limit=4").json()
    assert first["size"] == selectors.log_size() == LogEntry.objects.count()
    assert [e["index"] for e in first["entries"]] == [0, 1, 2, 3]
    second = client.get(first["next"]).json()
    assert [e["index"] for e in second["entries"]] == [4, 5, 6, 7]
    e = second["entries"][0]
    assert base64.b64decode(e["leaf_hash"]) == merkle.leaf_hash(e["body"].encode())
    mine = client.get(f"/api/v1/log/entries/?organisation={logged[3].pk}").json()["entries"]
    assert len(mine) == 1 and mine[0]["entry"]["organisation"]["name"] == logged[3].name


def test_heads_and_proofs_verify_with_the_standalone_rules(logged):
    client = APIClient()
    n = selectors.log_size()
    head = client.get("/api/v1/log/head/").json()
    assert head["size"] == n
    old = client.get("/api/v1/log/head/?size=3").json()
    proof = client.get(f"/api/v1/log/proof/consistency/?first=3&second={n}").json()
    merkle.verify_consistency(3, n, _b(proof["proof"]), base64.b64decode(old["root"]), base64.b64decode(head["root"]))
    incl = client.get(f"/api/v1/log/proof/inclusion/?index=5&size={n}").json()
    merkle.verify_inclusion(5, n, merkle.leaf_hash(incl["body"].encode()), _b(incl["proof"]),
                            base64.b64decode(head["root"]))
    by_leaf = client.get("/api/v1/log/proof/inclusion/", {"leaf_hash": incl["leaf_hash"]}).json()
    assert by_leaf["index"] == 5 and by_leaf["proof"] == incl["proof"]


def test_bad_requests_get_clear_errors(logged):
    client = APIClient()
    n = selectors.log_size()
    # Well-formed, but the log has no such head, entry or leaf (yet): 404, as for an entry by index.
    assert_error(client.get(f"/api/v1/log/head/?size={n + 1}"), 404)
    assert_error(client.get(f"/api/v1/log/proof/inclusion/?index={n}"), 404)
    assert_error(client.get(f"/api/v1/log/proof/consistency/?first=1&second={n + 1}"), 404)
    assert_error(client.get("/api/v1/log/proof/inclusion/?leaf_hash=" + "0" * 64), 404)
    assert "leaf_hash" in assert_error(client.get("/api/v1/log/proof/inclusion/?leaf_hash=00"), 400)["fields"]
    assert_error(client.get("/api/v1/log/proof/consistency/?first=0"), 400)
    r = client.get("/api/v1/log/proof/consistency/?first=5&second=4", HTTP_ACCEPT_LANGUAGE="en")
    assert "first" in assert_error(r, 400)["fields"]
    assert client.get(f"/api/v1/log/entries/{n + 5}/").status_code == 404
