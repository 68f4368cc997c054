"""Private brokers and processes for fault tests: a redis-server and a RabbitMQ node of the test's own.

The shared services on 6379/5672 are never touched: each helper starts its own server on a free loopback
port, in a temporary folder, and only ever stops that one (by the process it started). When the binary
is missing the test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_SERVER = shutil.which("redis-server")
# Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user; the script behind it runs as the caller.
RABBITMQ_SERVER = next((p for p in ("/usr/lib/rabbitmq/bin/rabbitmq-server", shutil.which("rabbitmq-server"))
                        if p and os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    """Poll ``predicate`` until it is truthy; fail the test (not sleep-race) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Stop a process group this test started (and only that one)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


class PrivateRedis:
    """A redis-server on a free port, restartable on the same port (the same URL for the worker)."""

    def __init__(self, folder: Path) -> None:
        if REDIS_SERVER is None:
            pytest.skip("redis-server is not installed: the broker-restart test needs its own Redis")
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # appendonly: queued and unacknowledged messages survive the restart, as on a production Redis.
        cmd = [str(REDIS_SERVER), "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
               "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"]
        self.proc = subprocess.Popen(cmd, stdout=(self.folder / "redis.log").open("ab"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_until(lambda: port_open(self.port), 30, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            wait_until(lambda: not port_open(self.port), 30, "redis-server to close its port")


class PrivateRabbit:
    """A RabbitMQ node of its own (name, ports, data and log folders, cookie), without plugins."""

    def __init__(self, folder: Path) -> None:
        if RABBITMQ_SERVER is None or shutil.which("erl") is None and not Path("/usr/lib/erlang").exists():
            pytest.skip("rabbitmq-server is not installed: the broker-restart test needs its own RabbitMQ node")
        self.folder = folder
        self.port = free_port()
        self.dist_port = free_port()
        self.node = f"reg-test-{self.port}@localhost"
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}//"
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        (self.folder / "home").mkdir(parents=True, exist_ok=True)
        plugins = self.folder / "enabled_plugins"
        plugins.write_text("[].\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("RABBITMQ_")}
        env.update(
            HOME=str(self.folder / "home"),  # its own Erlang cookie
            RABBITMQ_NODENAME=self.node, RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port), RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_MNESIA_BASE=str(self.folder / "mnesia"), RABBITMQ_LOG_BASE=str(self.folder / "log"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(plugins), RABBITMQ_PID_FILE=str(self.folder / "node.pid"),
            RABBITMQ_CONFIG_FILE=str(self.folder / "rabbitmq"),
            RABBITMQ_ADVANCED_CONFIG_FILE=str(self.folder / "advanced.config"),
        )
        return env

    def start(self) -> None:
        self.proc = subprocess.Popen([str(RABBITMQ_SERVER)], env=self.env(), cwd=self.folder,
                                     stdout=(self.folder / "rabbit.log").open("ab"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_until(lambda: self.proc is not None and (self.proc.poll() is not None or port_open(self.port)), 120,
                   f"RabbitMQ node {self.node}")
        if self.proc.poll() is not None:
            log = (self.folder / "rabbit.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"the private RabbitMQ node did not start:\n{log}")

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, timeout=60)
            wait_until(lambda: not port_open(self.port), 60, "RabbitMQ to close its port")


def database_url() -> str:
    """The URL of the test database this process uses (pytest-django's), for processes it starts."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s["PASSWORD"] else (f"{s['USER']}@" if s["USER"] else "")
    return f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker_env(tmp_path: Path, broker_url: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a real worker (or web server) process outside pytest: embedded defaults in
    the test's own folder (mail files in ``tmp_path/mail``), the test's database and broker, real tasks.
    With CACHE_URL (Redis) it shares the test process's cache: the same database and key prefix, so
    what the test clears is what the process counts, and no other xdist worker's keys."""
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST")}
    env["CACHE_KEY_PREFIX"] = settings.CACHES["default"].get("KEY_PREFIX", "")
    env.update(REGISTRY_VAR_DIR=str(tmp_path), DJANGO_DEBUG="1", REGISTRY_TESTING="0", CELERY_TASK_ALWAYS_EAGER="0",
               CELERY_BROKER_URL=broker_url, DATABASE_URL=database_url, CELERY_SKIP_CHECKS="1",
               DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def start_worker(env: dict[str, str], queue: str, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "celery", "-A", "convention", "worker", "-P", "solo", "-c", "1", "-Q", queue,
           "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info", "-n", f"{queue}@%h"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _mail_backend_base() -> Any:
    from django.core.mail.backends.filebased import EmailBackend

    return EmailBackend


class SlowFileMailBackend(_mail_backend_base()):  # type: ignore[misc]
    """A mail server that takes REGISTRY_TEST_MAIL_DELAY seconds to accept the process's first message
    (files in EMAIL_FILE_PATH): the worker is in the middle of a send when the test stops the broker."""

    slow = True

    def send_messages(self, email_messages: Any) -> int:
        if SlowFileMailBackend.slow:
            SlowFileMailBackend.slow = False
            time.sleep(float(os.environ.get("REGISTRY_TEST_MAIL_DELAY", "0")))
        return int(super().send_messages(email_messages))


def sent_message_ids(folder: Path) -> list[str]:
    """The Message-ID of every message the file mail backend wrote (one file may hold several)."""
    ids: list[str] = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        ids += [line.split(":", 1)[1].strip() for line in path.read_text(errors="replace").splitlines()
                if line.lower().startswith("message-id:")]
    return ids
