"""Broker loss: a real Celery worker holding work while its (private) Redis or RabbitMQ is stopped and
started again. The worker survives, and every e-mail, bulletin and ballot closing happens exactly once,
because what must happen later is found in the database by the beat jobs, not kept in the broker.

Each test starts its own broker on a free port (tests/brokers.py); the shared 6379/5672 are never touched.
"""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.utils import timezone

from convention.amendments.models import Ballot, BallotState, ProposalEvent
from convention.celery import app as celery_app
from members.models import Notification
from members.publications import services as publication_services
from members.publications.models import Publication, PublicationState
from members.tasks import notification_message_id
from tests.brokers import (
    ROOT,
    PrivateRabbit,
    PrivateRedis,
    database_url,
    sent_message_ids,
    start_worker,
    stop,
    wait_until,
    worker_env,
)
from tests.convention.amendment_helpers import ensure_version_1, executive_ballot, signatories
from tests.factories import make_representative
from tests.helpers import act

pytestmark = [pytest.mark.worker, pytest.mark.broker, pytest.mark.django_db(transaction=True)]

BEAT_JOBS = ("members.audit.tasks.sweep_outbox", "convention.amendments.tasks.ballots_close_due",
             "members.publications.tasks.publication_sweep_stuck_task")


def test_no_task_relies_on_the_broker_keeping_a_delayed_message():
    """No autoretry (its back-off is a countdown), no countdown or eta anywhere in the project's code."""
    ours = {name: task for name, task in celery_app.tasks.items()
            if name.startswith(("members.", "convention.", "complaints."))}
    assert ours
    for name, task in ours.items():
        assert not getattr(task, "autoretry_for", ()), name
    for path in [*ROOT.glob("members/**/*.py"), *ROOT.glob("convention/**/*.py"), *ROOT.glob("complaints/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg in ("countdown", "eta"):
                raise AssertionError(f"{path}:{node.lineno} passes {node.arg}=")
    conf: Any = celery_app.conf
    assert conf.broker_connection_retry_on_startup is True and conf.broker_connection_max_retries is None
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is True


def _work(publisher: Any) -> dict[str, Any]:
    """Work left in the database while the broker is away: three unsent notifications, a ballot past its
    deadline, a bulletin whose render message was lost."""
    if not Notification.objects.model._meta.apps.get_model("convention", "ConventionVersion").objects.exists():
        ensure_version_1()
    orgs = signatories(3)
    ballot = executive_ballot(publisher, hours=1)
    Notification.objects.update(emailed_at=timezone.now())  # the opening e-mails went out before
    earlier = set(Notification.objects.values_list("pk", flat=True))
    Ballot.objects.filter(pk=ballot.pk).update(opened_at=timezone.now() - timedelta(minutes=2),
                                               deadline=timezone.now() - timedelta(minutes=1))
    org = orgs[0][0]
    make_representative(org, "second-rep@example.org")
    old = timezone.now() - timedelta(minutes=5)
    notes = [Notification.objects.create(organisation=org, kind="t", subject=f"通知 {i}", body="内容")
             for i in range(3)]
    Notification.objects.filter(pk__in=[n.pk for n in notes]).update(created_at=old)
    pub, _ = publication_services.publication_request(act(), period_start=date(2025, 3, 1), period_end=date(2025, 3, 31),
                                                      queue=False)
    Publication.objects.filter(pk=pub.pk).update(created_at=old, queued_at=old)
    return {"ballot": ballot, "notes": notes, "publication": pub, "earlier": earlier}


def _run_through_a_broker_restart(broker: Any, tmp_path: Path, publisher: Any, monkeypatch: Any) -> None:
    work = _work(publisher)
    broker.start()
    monkeypatch.setenv("CELERY_BROKER_URL", broker.url)  # Celery prefers this variable to its broker argument
    env = worker_env(tmp_path, broker.url, database_url(),
                     DJANGO_EMAIL_BACKEND="tests.brokers.SlowFileMailBackend", REGISTRY_TEST_MAIL_DELAY="3",
                     REGISTRY_BROKER_VISIBILITY_TIMEOUT="5", REGISTRY_BROKER_RESTORE_INTERVAL="1")
    log = tmp_path / "worker.log"
    text = lambda: log.read_text(errors="replace") if log.exists() else ""  # noqa: E731
    sender = Celery(broker=broker.url, set_as_current=False)
    worker = start_worker(env, "celery", log)
    try:
        wait_until(lambda: "ready." in text(), 120, "the worker to start")
        # The worker is in the middle of sending the first e-mail when the broker goes away.
        sender.send_task("members.tasks.notification_email", args=[work["notes"][0].pk])
        wait_until(lambda: "notification_email" in text() and "received" in text(), 60, "the worker to take the job")
        broker.stop()
        sender.close()
        wait_until(lambda: "Trying to re-establish" in text() or "Connection to broker lost" in text()
                   or "Cannot connect" in text(), 60, "the worker to notice the broker is gone")
        assert worker.poll() is None, text()[-3000:]
        broker.start()
        wait_until(lambda: text().count("Connected to") >= 2, 120, "the worker to reconnect")
        sender = Celery(broker=broker.url, set_as_current=False)
        for _ in range(2):  # beat fires (twice: a double trigger changes nothing)
            for job in BEAT_JOBS:
                sender.send_task(job)

        def done() -> bool:
            return (not Notification.objects.filter(emailed_at__isnull=True).exists()
                    and Ballot.objects.get(pk=work["ballot"].pk).state != BallotState.OPEN
                    and Publication.objects.get(pk=work["publication"].pk).state == PublicationState.PUBLISHED)

        def settle() -> bool:  # closing notifications are new work: sweep until everything is sent
            if done():
                return True
            for job in BEAT_JOBS:
                sender.send_task(job)
            return False

        wait_until(settle, 240, "every e-mail, the ballot and the bulletin", interval=3)
        assert worker.poll() is None, text()[-3000:]  # the same worker, alive throughout
    finally:
        stop(worker)
        sender.close()
        broker.stop()
    out = text()
    assert "Unrecoverable error" not in out, out[-3000:]
    # Exactly once: one message per notification, each with its own idempotency key.
    ids = sent_message_ids(tmp_path / "mail")
    expected = sorted(notification_message_id(n) for n in Notification.objects.exclude(pk__in=work["earlier"]))
    assert len(expected) == 3 + work["ballot"].electorate_size
    assert sorted(ids) == expected, (ids, expected)
    pub = Publication.objects.get(pk=work["publication"].pk)
    assert pub.attempts == 1 and pub.files.count() == 3
    closings = ProposalEvent.objects.filter(proposal=work["ballot"].proposal, action__in=("adopt", "reject"))
    assert closings.count() == 1
    electorate = work["ballot"].electorate_size
    assert Notification.objects.filter(kind="ballot_closed").count() == electorate


def test_a_worker_survives_a_redis_restart_and_everything_happens_once(tmp_path, publisher, monkeypatch):
    _run_through_a_broker_restart(PrivateRedis(tmp_path / "redis"), tmp_path, publisher, monkeypatch)


def test_a_worker_survives_a_rabbitmq_restart_and_everything_happens_once(tmp_path, publisher, monkeypatch):
    _run_through_a_broker_restart(PrivateRabbit(tmp_path / "rabbit"), tmp_path, publisher, monkeypatch)
