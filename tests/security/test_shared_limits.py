"""Limits that hold across processes: two real gunicorn workers on one shared cache and database.

The tracking-code limit (20 per hour per address) lets exactly 20 look-ups through whichever worker
answers, and a login locked out on one worker is locked out on the other. Runs on the embedded defaults
(the file cache under the server's var/) or on Redis when CACHE_URL is set (CI).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
import requests
from allauth.account.models import EmailAddress
from django.core.cache import cache

from tests.brokers import ROOT, database_url, free_port, port_open, stop, wait_until, worker_env
from tests.complaints.conftest import REPORTER, file_complaint
from tests.factories import OrganisationFactory, UserFactory, make_signatory

pytestmark = [pytest.mark.gunicorn, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def _start(tmp_path, env: dict[str, str], name: str) -> tuple[subprocess.Popen[bytes], str, Any]:
    port = free_port()
    log = (tmp_path / f"gunicorn-{name}.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "tests.wsgi_pid:application", "-b", f"127.0.0.1:{port}",
                             "-w", "1", "--threads", "1", "--timeout", "60"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}", log


@pytest.fixture
def server(tmp_path):
    """Two gunicorn servers of one worker each, on one var/ (file cache) or CACHE_URL, and one database.

    Requests alternate between them (``_Pair``), so both processes answer by construction: with one
    server of two workers the kernel may hand every connection to the same worker on a loaded machine.
    """
    cache.clear()  # on Redis the servers count in this process's cache: no counts left by earlier tests
    env = worker_env(tmp_path, "memory://", database_url())
    started = [_start(tmp_path, env, name) for name in ("a", "b")]
    try:
        for _proc, base, _log in started:
            wait_until(lambda base=base: port_open(int(base.rsplit(":", 1)[1])), 60, "gunicorn to listen")
            wait_until(lambda base=base: _get(base, "/health/").status_code == 200, 90, "gunicorn to answer")
        yield _Pair([base for _p, base, _l in started])
    finally:
        for proc, _base, log in started:
            stop(proc)
            log.close()


class _Pair:
    """The two servers' addresses; each ``next()`` is the other one's turn."""

    def __init__(self, bases: list[str]) -> None:
        self.bases, self.turn = bases, 0

    def next(self) -> str:
        self.turn += 1
        return self.bases[self.turn % 2]


def _get(base: str, path: str) -> requests.Response:
    return requests.get(base + path, headers={"Connection": "close", "Accept": "application/json"}, timeout=30)


def _post(servers: _Pair, path: str, data: dict[str, str]) -> requests.Response:
    """A form post from a fresh client (its own CSRF cookie) to the next server in turn."""
    base = servers.next()
    page = requests.get(base + path, headers={"Connection": "close"}, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    return requests.post(base + path, data={**data, "csrfmiddlewaretoken": token.group(1)}, cookies=page.cookies,
                         headers={"Connection": "close", "Referer": base + path}, allow_redirects=False, timeout=30)


def _by_worker(responses: list[requests.Response]) -> Counter[tuple[str, int]]:
    return Counter((r.headers["X-Test-Worker-Pid"], r.status_code) for r in responses)


def test_the_tracking_code_limit_lets_exactly_twenty_through_two_workers(server: Any):
    filed = file_complaint(make_signatory(OrganisationFactory()), **REPORTER)
    responses = [_post(server, "/complaints/track/", {"code": filed.tracking_code}) for _ in range(30)]
    statuses = [r.status_code for r in responses]
    assert statuses == [200] * 20 + [429] * 10, _by_worker(responses)
    assert len({pid for pid, _ in _by_worker(responses)}) == 2  # both workers answered


def test_a_locked_out_login_stays_locked_on_both_workers(server: Any):
    user = UserFactory(username="locked@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    failures = [_post(server, "/accounts/login/", {"login": str(user.email), "password": "wrong-password"})
                for _ in range(5)]
    assert [r.status_code for r in failures] == [200, 200, 200, 200, 429], _by_worker(failures)
    locked = [_post(server, "/accounts/login/", {"login": str(user.email), "password": PASSWORD}) for _ in range(10)]
    assert {r.status_code for r in locked} == {429}, _by_worker(locked)
    assert len({r.headers["X-Test-Worker-Pid"] for r in [*failures, *locked]}) == 2
