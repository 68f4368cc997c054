"""Two triggers at the same moment on PostgreSQL (SQLite serialises writers, so the race cannot happen)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from members.publications import services
from members.publications.models import Publication
from tests.helpers import act

from .conftest import PERIOD_END, PERIOD_START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
def test_two_simultaneous_triggers_make_one_publication(march):
    barrier = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def trigger() -> None:
        try:
            barrier.wait()
            pub, created = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END,
                                                        queue=False)
            results.append((pub.pk, created))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=trigger) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({pk for pk, _ in results}) == 1 and sorted(c for _, c in results) == [False, True]
    assert Publication.objects.count() == 1
