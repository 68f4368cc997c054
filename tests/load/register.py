"""Load test of the public register against gunicorn on loopback: ``make load``.

Seeds (or reuses) the benchmark's register of LOAD_ORGS organisations on PostgreSQL (tests/bench/seed.py;
``LOAD_DB=sqlite`` for the embedded database), starts a production-configured gunicorn (DEBUG off, 2
workers x 4 threads) on 127.0.0.1, and holds a fixed, open-loop request rate of mixed public traffic:
home, register pages, searches with a term never asked before (every one of them), deep register pages,
profiles, API pages and deep cursors, status on a date. Reports throughput, latency percentiles (counted
from when each request was due, so a late request is not hidden), errors, and the CPU the server, the
client and the rest of the machine used; exits non-zero on any error, a missed rate or a p99 over LOAD_P99_MS.

Options (environment): LOAD_RATE (requests/s, 150), LOAD_SECONDS (60), LOAD_THREADS (24), LOAD_ORGS
(100000), LOAD_WORKERS (2), LOAD_WORKER_THREADS (4), LOAD_P99_MS (200), LOAD_DB (postgres).
"""

from __future__ import annotations

import http.client
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from tests.bench import seed
from tests.bench.register import JSON, cache_url, delete_prefix, fixtures, free_port, server_env, uptime

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and all its live descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total / TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICKS, sum(values) / TICKS

ROOT = Path(__file__).resolve().parents[2]
RATE = float(os.environ.get("LOAD_RATE", 150))
SECONDS = float(os.environ.get("LOAD_SECONDS", 60))
THREADS = int(os.environ.get("LOAD_THREADS", 24))
ORGS = int(os.environ.get("LOAD_ORGS", 100_000))
WORKERS = int(os.environ.get("LOAD_WORKERS", 2))
WORKER_THREADS = int(os.environ.get("LOAD_WORKER_THREADS", 4))
P99_MS = float(os.environ.get("LOAD_P99_MS", 200))
DB = os.environ.get("LOAD_DB", "postgres")

# (kind, weight): what a public visitor asks for, per 20 requests.
MIX = [("home", 3), ("register", 3), ("search", 5), ("deep", 2), ("profile", 3), ("api", 1), ("api_deep", 1),
       ("status", 2)]


def new_term(n: int) -> str:
    """A Chinese partial name no earlier request used: a company's trade words, or the end of its name."""
    if n % 2 == 0 and n // 2 < len(seed.KINDS) * 100:
        i = n // 2
        return seed.CITIES[i % 10] + seed.WORDS[(i // 10) % 10] + seed.KINDS[(i // 100) % 5][:2]
    return f"公司{n % 100_000:05d}"[:7]


def plan(total: int, fx: dict) -> list[tuple[str, str, dict[str, str]]]:
    kinds = [k for k, w in MIX for _ in range(w)]
    out = []
    counters: Counter[str] = Counter()
    for n in range(total):
        kind = kinds[n % len(kinds)]
        i = counters[kind]
        counters[kind] += 1
        path, headers = {
            "home": ("/", {}),
            "register": ("/register/" + ("" if i % 3 else "?status=signatory"), {}),
            "search": ("/register/?q=" + quote(new_term(i)), {}),
            "deep": ("/register/?cursor=" + fx["register_cursors"][i % len(fx["register_cursors"])], {}),
            "profile": (f"/register/{fx['profiles'][i % len(fx['profiles'])]}/", {}),
            "api": ("/api/v1/organizations/?status=signatory", JSON),
            "api_deep": ("/api/v1/organizations/?cursor=" + quote(fx["api_cursors"][i % len(fx["api_cursors"])]),
                         JSON),
            "status": (f"/api/v1/organizations/{fx['codes'][i % len(fx['codes'])]}/status/?on="
                       f"{fx['dates'][i % len(fx['dates'])]}", JSON),
        }[kind]
        out.append((kind, path, headers))
    return out


def run_load(port: int, requests: list[tuple[str, str, dict[str, str]]]) -> dict[str, float]:
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    start = time.monotonic() + 0.5

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for n in range(index, len(requests), THREADS):
            kind, path, headers = requests[n]
            due = start + n / RATE  # open loop: request n is due at n / RATE seconds
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            # Latency counts from when the request was due, not from when a free thread sent it: a slow
            # answer that delays this thread's next request is counted in that request too.
            t0 = min(due, time.monotonic())
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
                response = conn.getresponse()
                response.read()
                problem = "" if response.status == 200 else f"{path}: HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{path}: {type(exc).__name__} {exc}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.monotonic() - t0
            with lock:
                latencies.append(elapsed)
                by_kind.setdefault(kind, []).append(elapsed)
                if problem:
                    errors.append(problem)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.monotonic() - start
    for e in errors[:10]:
        print("error:", e)
    for kind, values in sorted(by_kind.items()):
        q = statistics.quantiles(values, n=100)
        print(f"  {kind:<9} {len(values):>5} requests  p50 {q[49] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms")
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": len(errors), "seconds": duration,
            "rate": len(latencies) / duration, "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "p99_ms": q[98] * 1000, "max_ms": latencies[-1] * 1000}


def main() -> int:
    url = seed.prepare(DB, ORGS)
    total = int(RATE * SECONDS)
    fx = fixtures(url, 2000)
    requests = plan(total, fx)
    searches = [p for k, p, _ in requests if k == "search"]
    assert len(set(searches)) == len(searches), "every search must be new"
    with tempfile.TemporaryDirectory(prefix="registry-load-") as var_dir:
        port = free_port()
        cache, prefix = cache_url(DB), f"load-{secrets.token_hex(4)}"  # Redis, as deployed
        env = server_env(url, var_dir, cache, prefix)
        gunicorn = [sys.executable, "-m", "gunicorn", "convention.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(WORKERS),
                    "--threads", str(WORKER_THREADS), "--log-level", "warning", "--timeout", "30"]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        try:
            for _ in range(300):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    conn.request("GET", "/", headers={"Host": "127.0.0.1"})
                    conn.getresponse().read()
                    break
                except OSError:
                    time.sleep(0.1)
            for _ in range(WORKERS * 8):  # start-up (imports, first queries) of every worker is not measured
                for path in ("/", "/register/", "/api/v1/organizations/"):
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    conn.request("GET", path, headers={"Host": "127.0.0.1"})
                    conn.getresponse().read()
            print(f"load: {RATE:g} req/s for {SECONDS:g} s of mixed public traffic ({len(searches)} searches, all "
                  f"new) from {THREADS} threads; {fx['database']}, {ORGS:,} organisations; gunicorn {WORKERS} "
                  f"workers x {WORKER_THREADS} threads on 127.0.0.1:{port}; page cache "
                  f"{'Redis' if cache else 'embedded file cache'}")
            print(f"  before: {uptime()}")
            server_cpu, client_cpu, (busy, total) = tree_cpu_seconds(server.pid), time.process_time(), machine_cpu()
            result = run_load(port, requests)
            server_cpu = tree_cpu_seconds(server.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
            busy, total = machine_cpu()[0] - busy, machine_cpu()[1] - total
            print(f"  after:  {uptime()}")
            print(f"  CPU during the load: machine {busy / total:.0%} busy of {os.cpu_count()} cores; "
                  f"gunicorn {server_cpu:.1f} s, this client {client_cpu:.1f} s, the rest (PostgreSQL, Redis, "
                  f"other) {busy - server_cpu - client_cpu:.1f} s, in {result['seconds']:.1f} s")
        finally:
            server.terminate()
            server.wait(20)
            if cache:
                delete_prefix(cache, prefix)
    print("load: {requests:.0f} requests in {seconds:.1f} s = {rate:.1f} req/s; errors {errors:.0f}; "
          "latency p50 {p50_ms:.0f} ms, p95 {p95_ms:.0f} ms, p99 {p99_ms:.0f} ms, max {max_ms:.0f} ms".format(**result))
    failed = []
    if result["errors"]:
        failed.append("errors under load")
    if result["rate"] < RATE * 0.95:
        failed.append(f"held {result['rate']:.1f} req/s, below {RATE:g}")
    if result["p99_ms"] > P99_MS:
        failed.append(f"p99 {result['p99_ms']:.0f} ms over {P99_MS:g} ms")
    print("FAIL: " + "; ".join(failed) if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
