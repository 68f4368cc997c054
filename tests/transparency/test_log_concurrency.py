"""Appends under concurrency, on PostgreSQL: threads with their own connections create public facts at
the same moment. The log stays one tree: indices 0..n-1 without gaps, one entry per fact, the stored
nodes those of the leaves, every proof verifying, entry times following the log's order."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from members import services
from members.core import clock
from members.models import MembershipEvent
from members.transparency import merkle, selectors
from members.transparency import verify_register as standalone
from members.transparency.models import LogEntry, LogNode, LogState
from members.transparency.services import log_append
from members.transparency.verification import verify_register
from tests.factories import OrganisationFactory
from tests.helpers import act

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                       reason="row locks and concurrent connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 6
PER_THREAD = 5


def _at_once(calls: list[Callable[[], Any]]) -> list[BaseException]:
    """Run every call in its own thread (own connection), released together; the errors raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:  # noqa: BLE001 (reported to the test, which fails on any)
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _check_tree() -> list[LogEntry]:
    entries = list(LogEntry.objects.order_by("index"))
    assert [e.index for e in entries] == list(range(len(entries)))  # no gap, no index twice
    assert len({e.source for e in entries}) == len(entries)  # one entry per fact
    assert LogState.objects.get(pk=1).size == len(entries)
    # Entry times follow the log's order (they are read under the log's lock).
    times = [e.logged_at for e in entries]
    assert times == sorted(times)
    tree = merkle.MemoryTree(e.body.encode() for e in entries)
    assert {(n.level, n.position): n.hash for n in LogNode.objects.all()} == {k: v.hex() for k, v in tree.nodes.items()}
    head = selectors.head()
    assert (head.size, head.root) == (len(entries), tree.root()) == (len(entries), merkle.reference_root(
        [e.body.encode() for e in entries]))
    for e in entries:
        standalone.verify_inclusion(e.index, head.size, standalone.leaf_hash(e.body.encode()),
                                    selectors.inclusion_proof(e.index, head.size), head.root)
    for size in range(1, head.size):
        standalone.verify_consistency(size, head.size, selectors.consistency_proof(size, head.size),
                                      selectors.head(size).root, head.root)
    report = verify_register()
    assert report.divergence is None and report.entries == len(entries)
    return entries


def test_concurrent_appends_from_an_empty_log_keep_one_consistent_tree():
    # Start from an empty log with no state row, so the first appends also race to create it (the
    # convention's version 1, loaded by a migration, is a public fact: remove it with its entry).
    from convention.models import ConventionVersion

    ConventionVersion.objects.all().delete()
    with connection.cursor() as cursor:
        for table in ("transparency_lognode", "transparency_logentry", "transparency_logstate"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
    assert not LogState.objects.exists() and not LogEntry.objects.exists()
    orgs = [[OrganisationFactory() for _ in range(PER_THREAD)] for _ in range(THREADS)]
    today = clock.today()

    def admit(batch: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for org in batch:
                services.membership_start(act(), org, effective_date=today, reason="并发测试")
        return run

    assert _at_once([admit(batch) for batch in orgs]) == []
    entries = _check_tree()
    events = MembershipEvent.objects.count()
    assert events == THREADS * PER_THREAD == len(entries)
    assert {e.source for e in entries} == {f"membership_event:{pk}" for pk in
                                            MembershipEvent.objects.values_list("pk", flat=True)}

    # Every thread logs every fact again at once: retries add nothing.
    rows = list(MembershipEvent.objects.all())

    def relog() -> None:
        for ev in rows:
            log_append("membership_event", ev)

    assert _at_once([relog for _ in range(THREADS)]) == []
    assert [e.source for e in _check_tree()] == [e.source for e in entries]
