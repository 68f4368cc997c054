"""Load test of the public register against gunicorn on loopback: ``make load``.

Starts a production-configured gunicorn (DEBUG off, SQLite or $DATABASE_URL) on 127.0.0.1, seeds
signatories, then holds a fixed request rate on / and /register/ from several threads for a while and
reports throughput, latency percentiles and errors. Exits non-zero on any error or a missed rate.

Options (environment): LOAD_RATE (requests/s, default 40), LOAD_SECONDS (20), LOAD_THREADS (8),
LOAD_PORT (8601), LOAD_ORGS (300), LOAD_WORKERS (gunicorn workers, 2).
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RATE = float(os.environ.get("LOAD_RATE", 40))
SECONDS = float(os.environ.get("LOAD_SECONDS", 20))
THREADS = int(os.environ.get("LOAD_THREADS", 8))
PORT = int(os.environ.get("LOAD_PORT", 8601))
ORGS = int(os.environ.get("LOAD_ORGS", 300))
WORKERS = int(os.environ.get("LOAD_WORKERS", 2))
PATHS = ["/", "/register/"]

SEED = """
import django
django.setup()
from datetime import date
from members import services
from tests.factories import OrganisationFactory
from tests.helpers import act
for i in range({n}):
    services.membership_start(act(), OrganisationFactory(), effective_date=date(2025, 1, 1), reason="load")
"""


def server_env(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DJANGO_DEBUG="0", REGISTRY_TESTING="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
               DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_SECURE_SSL_REDIRECT="0",
               REGISTRY_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="convention.settings", DJANGO_LOG_LEVEL="WARNING")
    return env


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on 127.0.0.1:{port}")


def warm_up() -> None:
    """A few requests per worker first, so that start-up (imports, first queries) is not measured."""
    for _ in range(WORKERS * 4):
        for path in PATHS:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()


def run_load() -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    total = int(RATE * SECONDS)
    start = time.monotonic() + 0.5

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        for n in range(index, total, THREADS):
            due = start + n / RATE  # open-loop schedule: request n is due at n / RATE seconds
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            path = PATHS[n % len(PATHS)]
            t0 = time.monotonic()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200 and b"</html>" in body
                problem = "" if ok else f"{path}: HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{path}: {type(exc).__name__} {exc}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            elapsed = time.monotonic() - t0
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.monotonic() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    for e in errors[:10]:
        print("error:", e)
    return {"requests": len(latencies), "errors": len(errors), "seconds": duration,
            "rate": len(latencies) / duration, "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "p99_ms": q[98] * 1000, "max_ms": latencies[-1] * 1000}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="registry-load-") as var_dir:
        env = server_env(var_dir)
        py = sys.executable
        subprocess.run([py, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([py, "-c", SEED.format(n=ORGS)], cwd=ROOT, env=env, check=True)
        gunicorn = [py, "-m", "gunicorn", "convention.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS),
                    "--threads", "4", "--log-level", "warning"]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        try:
            wait_for_port(PORT)
            warm_up()
            print(f"load: {RATE:g} req/s for {SECONDS:g} s on {', '.join(PATHS)} from {THREADS} threads, "
                  f"{ORGS} signatories, gunicorn {WORKERS} workers x 4 threads on 127.0.0.1:{PORT}")
            result = run_load()
        finally:
            server.terminate()
            server.wait(20)
    print("load: {requests:.0f} requests in {seconds:.1f} s = {rate:.1f} req/s; errors {errors:.0f}; "
          "latency p50 {p50_ms:.0f} ms, p95 {p95_ms:.0f} ms, p99 {p99_ms:.0f} ms, max {max_ms:.0f} ms".format(**result))
    if result["errors"]:
        print("FAIL: errors under load")
        return 1
    if result["rate"] < RATE * 0.95:
        print(f"FAIL: held {result['rate']:.1f} req/s, below the stated {RATE:g} req/s")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
