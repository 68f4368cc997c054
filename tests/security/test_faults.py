"""Faults: the database failing mid-request, the broker down when a job is queued, a killed worker."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from convention.celery import app as celery_app
from members import services
from members.audit import outbox
from members.audit.models import AuditEntry
from members.audit.tasks import sweep_outbox
from members.models import ApplicationEvent, ApplicationState, Membership, MembershipEvent, Notification
from members.tasks import notification_email
from tests.factories import make_application
from tests.helpers import act

ROOT = Path(__file__).resolve().parents[2]
# Celery gives CELERY_BROKER_URL from the environment precedence over an app's own broker argument,
# so the tests use the configured Redis when there is one (CI), else a local default.
_CONFIGURED = os.environ.get("CELERY_BROKER_URL", "")
REDIS_URL = os.environ.get("REGISTRY_TEST_REDIS_URL") or (
    _CONFIGURED if _CONFIGURED.startswith("redis") else "redis://127.0.0.1:6379/7")
DEAD_BROKER = "redis://127.0.0.1:1/0"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="Redis is not running")


# --- the database goes away mid-request -------------------------------------------------------------

def test_service_failing_half_way_writes_nothing(org_a, rep_a, reviewer, monkeypatch):
    app = make_application(org_a, rep_a)
    services.application_submit(act(rep_a), app)
    services.application_start_review(act(reviewer), app)
    services.application_verify_sealed_page(act(reviewer), app)
    before = (ApplicationEvent.objects.count(), AuditEntry.objects.count(), Notification.objects.count())

    def lost_connection(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    # The membership period is written, then the event write fails: everything must roll back.
    monkeypatch.setattr(MembershipEvent.objects, "create", lost_connection)
    with pytest.raises(OperationalError):
        services.application_approve(act(reviewer), app)
    app.refresh_from_db()
    org_a.refresh_from_db()
    assert app.state == ApplicationState.UNDER_REVIEW and app.membership_id is None
    assert not Membership.objects.filter(organisation=org_a).exists()
    assert org_a.status == "none"
    assert (ApplicationEvent.objects.count(), AuditEntry.objects.count(), Notification.objects.count()) == before


def test_lost_database_gives_a_friendly_503_page(client, db, monkeypatch):
    def lost_connection(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("members.public.conditional.register_stamp", lost_connection)  # the first query
    response = client.get("/register/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "服务暂时不可用" in page and "没有被保存" in page
    assert "Traceback" not in page and "could not connect" not in page


# --- the broker is down when a job is queued -------------------------------------------------------

@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Point the Celery app at ``url`` with real (not eager) publishing, for the duration."""
    app: Any = celery_app
    conf: Any = app.conf
    saved = (conf.broker_url, conf.task_always_eager, conf.broker_transport_options)
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url  # Celery reads this variable before its own setting
    conf.broker_url, conf.task_always_eager, conf.broker_transport_options = url, False, {}
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, conf.broker_transport_options = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        app._pool = None
        app.amqp._producer_pool = None


@needs_redis
def test_job_queued_while_the_broker_is_down_is_sent_when_it_is_back(org_a, django_capture_on_commit_callbacks):
    queue = redis.Redis.from_url(REDIS_URL)
    queue.delete("celery")
    note = Notification.objects.create(organisation=org_a, kind="t", subject="s", body="b")
    with broker(DEAD_BROKER), django_capture_on_commit_callbacks(execute=True):
        row = outbox.enqueue(notification_email, note.pk)  # in the service's transaction
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1 and row.last_error  # kept, not lost
    assert queue.llen("celery") == 0
    with broker(REDIS_URL):
        assert outbox.sweep(older_than=timedelta(0)) == 1
        assert outbox.sweep(older_than=timedelta(0)) == 0  # sent once
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    message = json.loads(queue.lpop("celery"))
    assert message["headers"]["task"] == "members.tasks.notification_email"
    assert message["headers"]["argsrepr"] == f"[{note.pk}]"
    queue.delete("celery")


def test_notification_whose_email_job_was_lost_is_queued_again(org_a, rep_a, settings):
    settings.OUTBOX_RESEND_AFTER_SECONDS = 60
    note = services.notify(org_a, "t", "主题", "内容")  # outside on_commit: the job never left
    fresh = services.notify(org_a, "t", "新主题", "内容")
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    result = sweep_outbox()
    assert result["notifications_requeued"] == 1
    assert [m.subject for m in mail.outbox] == ["[公约成员登记] 主题"]
    assert Notification.objects.get(pk=note.pk).emailed_at is not None
    assert Notification.objects.get(pk=fresh.pk).emailed_at is None  # its own job is still on its way


# --- a worker killed mid-task ----------------------------------------------------------------------

# The worker runs in its own process, so the job row lives in a throwaway SQLite file both can open.
QUEUEDTASK_TABLE = """CREATE TABLE audit_queuedtask (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT, task varchar(200) NOT NULL, args text NOT NULL,
    kwargs text NOT NULL, created_at datetime NOT NULL, sent_at datetime NULL, attempts integer NOT NULL,
    last_error text NOT NULL)"""


def _worker(env: dict[str, str], queue: str, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "celery", "-A", "convention", "worker", "-P", "solo", "-c", "1", "-Q", queue,
           "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info", "-n", f"{queue}@%h",
           "--include", "tests.security.celery_tasks"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@needs_redis
@pytest.mark.worker
def test_worker_killed_mid_task_leaves_a_consistent_state_and_the_task_runs_once(tmp_path):
    db_path = tmp_path / "registry.sqlite3"
    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    conn.execute(QUEUEDTASK_TABLE)
    row_id = conn.execute("INSERT INTO audit_queuedtask (task, args, kwargs, created_at, attempts, last_error) "
                          "VALUES ('job', '[]', '{}', '2026-01-01 00:00:00', 0, '')").lastrowid

    def finished() -> Any:
        return conn.execute("SELECT sent_at FROM audit_queuedtask WHERE id = ?", [row_id]).fetchone()[0]

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_XDIST_WORKER")}
    env.update(REGISTRY_VAR_DIR=str(tmp_path), DJANGO_DEBUG="1", REGISTRY_TESTING="0",
               CELERY_TASK_ALWAYS_EAGER="0", CELERY_BROKER_URL=REDIS_URL, REGISTRY_BROKER_VISIBILITY_TIMEOUT="2",
               REGISTRY_BROKER_RESTORE_INTERVAL="1", CELERY_SKIP_CHECKS="1")
    queue = f"harden-kill-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    sender = Celery(broker=REDIS_URL, set_as_current=False)
    first = _worker(env, queue, log)
    try:
        # A Redis queue exists once the worker has bound it: publish only after the worker is ready.
        _wait(lambda: "ready." in log.read_text(errors="replace"), 90, "the first worker to start")
        sender.send_task("tests.security.celery_tasks.slow_claim", args=[row_id, 4.0], queue=queue)
        _wait(lambda: "slow_claim" in log.read_text(errors="replace") and "received" in log.read_text(
            errors="replace"), 60, "the first worker to receive the task")
        time.sleep(1)  # the task is now sleeping inside its work
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        assert finished() is None  # killed mid-task: nothing half-written, not claimed
        second = _worker(env, queue, log)
        try:
            _wait(lambda: finished() is not None, 90, "the redelivered task to finish")
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(20)
        text = log.read_text(errors="replace")
        assert text.count("succeeded") == 1, text[-2000:]
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        sender.close()
        redis.Redis.from_url(REDIS_URL).delete(queue)
        conn.close()
