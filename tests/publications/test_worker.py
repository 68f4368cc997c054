"""End to end through a real Celery worker on the configured broker (a private folder for the embedded
file-system broker, the CI Redis otherwise): the beat task fires twice, one bulletin is published."""

from __future__ import annotations

import time
import uuid
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from pypdf import PdfReader

from convention.celery import app
from members.core import clock
from members.publications.models import Publication, PublicationState
from members.publications.tasks import publication_create_due

from .conftest import PERIOD_END, PERIOD_START

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _reset_pool() -> None:
    """Forget the connection pools (as Celery does after a fork) so that the broker settings in force
    now are used for the next connection."""
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None


@pytest.fixture
def real_worker(settings, tmp_path):
    saved = {k: app.conf.get(k) for k in ("task_always_eager", "broker_url", "broker_transport_options",
                                          "task_default_queue")}
    queue = f"publications-test-{uuid.uuid4().hex[:12]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue  # tasks queued by tasks land on this test's own queue too
    if str(settings.CELERY_BROKER_URL).startswith("filesystem"):
        folder = tmp_path / "broker"
        for sub in ("in", "processed", "control"):
            (folder / sub).mkdir(parents=True)
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport_options = {"data_folder_in": str(folder / "in"),
                                             "data_folder_out": str(folder / "in"),
                                             "processed_folder": str(folder / "processed"),
                                             "control_folder": str(folder / "control"), "store_processed": False}
    _reset_pool()

    def close_connections(**kwargs) -> None:
        # The worker runs tasks in a thread of its own; its database connections outlive the thread (Celery's
        # Django fix-up keeps them for CONN_MAX_AGE) and PostgreSQL would still see them when the test
        # database is dropped. Closed in that thread after each task.
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, queues=[queue],
                          shutdown_timeout=60, loglevel="WARNING"):
            yield queue
    finally:
        task_postrun.disconnect(close_connections)
        app.conf.update(saved)
        _reset_pool()


def _wait_for(predicate, limit: float = 180.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_a_real_worker_publishes_once_when_beat_fires_twice(march, real_worker, monkeypatch, settings):
    monkeypatch.setattr(clock, "today", lambda: date(2025, 4, 1))
    publication_create_due.apply_async(kwargs={"months": 1}, queue=real_worker)
    publication_create_due.apply_async(kwargs={"months": 1}, queue=real_worker)

    def published() -> bool:
        return Publication.objects.filter(state=PublicationState.PUBLISHED).exists()

    assert _wait_for(published), list(Publication.objects.values("state", "error"))
    pub = Publication.objects.get()
    assert (pub.period_start, pub.period_end, pub.number) == (PERIOD_START, PERIOD_END, 1)
    # Both beat runs queued a render; the second found the bulletin claimed or published and did nothing.
    time.sleep(1.0)
    pub.refresh_from_db()
    assert pub.attempts == 1 and pub.files.count() == 3
    text = "".join(p.extract_text() for p in PdfReader(settings.PUBLICATIONS_ROOT / pub.files.get(kind="pdf").path).pages)
    assert march.joined.name in text and march.withdrew.name in text and march.revoked.name in text
