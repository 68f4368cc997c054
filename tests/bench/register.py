"""Benchmark of the public register (``make bench``): a measurement to read, not a test.

    python -m tests.bench.register [--db postgres|sqlite|both] [--orgs 10000,100000] [--samples 30] [--reps 3]

For each database and size:
1. seed a register of N organisations (tests/bench/seed.py: bulk inserts, reused when already seeded);
2. start ONE gunicorn sync worker on 127.0.0.1 with production settings (DEBUG off);
3. send requests one at a time, round-robin over the endpoints and a trivial view of the same stack (the
   floor), in three modes: cold (a URL the page cache has never seen: a new search term, another deep
   position, another organisation each request), warm (the same URL again) and 304 (If-None-Match);
4. print each endpoint's median and p95 and its median as a multiple of the floor's, with the spread
   (lowest and highest multiple over the repetitions), and the server's memory (all its processes).
Goals (2 cores, 100,000 organisations): cold <= 5x, warm <= 2x, 304 <= 1.5x.

``BENCH_POSTGRES_URL`` says which server to use (default postgres://postgres@127.0.0.1:5432/registry; the
benchmark creates its own ``<name>_bench_<N>_<version>`` database there).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.bench import seed

ROOT = Path(__file__).resolve().parents[2]
GOALS = {"cold": 5.0, "warm": 2.0, "304": 1.5}
JSON = {"Accept": "application/json"}


def cache_url(kind: str) -> str | None:
    """The page cache as deployed: Redis with PostgreSQL (production), the embedded file cache with SQLite.

    ``BENCH_CACHE=file|redis`` chooses for both; ``BENCH_REDIS_URL`` names the Redis database (keys go
    under a prefix of their own and are deleted afterwards).
    """
    choice = os.environ.get("BENCH_CACHE") or ("redis" if kind == "postgres" else "file")
    return os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6") if choice == "redis" else None


def server_env(url: str, var_dir: str, cache: str | None = None, prefix: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "CACHE_URL", "CACHE_KEY_PREFIX")}
    if cache:
        env.update({"CACHE_URL": cache, "CACHE_KEY_PREFIX": prefix})
    env.update({
        "DATABASE_URL": url, "REGISTRY_VAR_DIR": var_dir, "DJANGO_DEBUG": "0", "REGISTRY_TESTING": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0", "REGISTRY_BENCH_FLOOR": "1", "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "convention.settings",
    })
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, elapsed


def fixtures(url: str, count: int) -> dict[str, Any]:
    """Positions, organisations and codes to ask for, read from the seeded database in a child process."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1", "REGISTRY_TESTING": "0",
           "DJANGO_SETTINGS_MODULE": "convention.settings", "DJANGO_LOG_LEVEL": "WARNING"}
    out = subprocess.run([sys.executable, "-m", "tests.bench.register", "--fixtures", str(count)], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _print_fixtures(count: int) -> None:
    import base64
    import random
    from urllib.parse import urlencode

    import django

    django.setup()
    from django.db import connection

    from members.public.paging import Cursor
    from members.public.selectors import public_organisations

    rows = list(public_organisations().order_by("name_sort", "id").values_list("name_sort", "id", "uscc"))
    rng = random.Random(7)
    deep = rng.sample(range(len(rows) // 2, len(rows) - 100), count + 1)  # the second half of the register
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    print(json.dumps({
        "database": f"{connection.vendor} {version}",
        "register_cursors": [Cursor(rows[i][0], rows[i][1], False, i // 20 + 2).encode() for i in deep],
        "api_cursors": [base64.b64encode(urlencode({"p": rows[i][0]}).encode()).decode() for i in deep],
        "profiles": [rows[i][1] for i in rng.sample(range(len(rows)), count + 1)],
        "codes": [rows[i][2] for i in rng.sample(range(len(rows)), count + 1)],
        "dates": [f"20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(count + 1)],
    }))


def search_terms() -> tuple[list[str], list[str]]:
    """Chinese partial names: three and more characters (city, word and kind) and two characters."""
    long_terms = [c + w + k[:2] for k in seed.KINDS for w in seed.WORDS for c in seed.CITIES]
    short_terms = [c[1] + w[0] for w in seed.WORDS for c in seed.CITIES]
    return long_terms, short_terms


Endpoint = tuple[str, str, Callable[[int], str], dict[str, str], int, bool]  # label, mode, path, headers, status, goal?


def endpoints(fx: dict[str, Any], etags: dict[str, str]) -> list[Endpoint]:
    long_terms, short_terms = search_terms()
    first_api = "/api/v1/organizations/"
    return [
        ("register page", "cold", lambda i: f"/register/?n={i}", {}, 200, True),
        ("search, new term (3+ chars)", "cold", lambda i: "/register/?q=" + quote(long_terms[i % len(long_terms)]),
         {}, 200, True),
        ("search, new term (2 chars)", "cold", lambda i: "/register/?q=" + quote(short_terms[i % len(short_terms)]),
         {}, 200, False),
        ("deep register page", "cold", lambda i: "/register/?cursor=" + fx["register_cursors"][i], {}, 200, True),
        ("profile", "cold", lambda i: f"/register/{fx['profiles'][i]}/", {}, 200, True),
        ("API list", "cold", lambda i: f"{first_api}?n={i}", JSON, 200, True),
        ("API deep cursor page", "cold", lambda i: f"{first_api}?cursor={quote(fx['api_cursors'][i])}", JSON, 200,
         True),
        ("API status on a date", "cold", lambda i: f"{first_api}{fx['codes'][i]}/status/?on={fx['dates'][i]}", JSON,
         200, True),
        ("register page", "warm", lambda i: "/register/", {}, 200, True),
        ("search", "warm", lambda i: "/register/?q=" + quote(long_terms[0]), {}, 200, True),
        ("deep register page", "warm", lambda i: "/register/?cursor=" + fx["register_cursors"][-1], {}, 200, True),
        ("API list", "warm", lambda i: first_api, JSON, 200, True),
        ("API deep cursor page", "warm", lambda i: f"{first_api}?cursor={quote(fx['api_cursors'][-1])}", JSON, 200,
         True),
        ("register page", "304", lambda i: "/register/", {"If-None-Match": etags["register"]}, 304, True),
        ("API list", "304", lambda i: first_api, {**JSON, "If-None-Match": etags["api"]}, 304, True),
    ]


def measure(port: int, eps: list[Endpoint], mode: str, samples: int, reps: int) -> dict[str, list[list[float]]]:
    """times[label][rep] for the floor and each endpoint of ``mode``, requests interleaved round-robin."""
    chosen = [("floor", mode, lambda i: "/bench/floor/", {}, 200, False), *[e for e in eps if e[1] == mode]]
    times: dict[str, list[list[float]]] = {e[0]: [] for e in chosen}
    n = 0
    for _rep in range(reps):
        for label in times:
            times[label].append([])
        for round_ in range(samples + 2):
            for label, _mode, path, headers, expect, _goal in chosen:
                status, _, ms = request(port, path(n), headers)
                if status != expect:
                    raise SystemExit(f"{path(n)}: expected {expect}, got {status}")
                if round_ >= 2:  # two warm-up rounds per repetition are not counted
                    times[label][-1].append(ms)
            n += 1
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def report(mode: str, times: dict[str, list[list[float]]], eps: list[Endpoint]) -> int:
    floor_all = [t for rep in times["floor"] for t in rep]
    floor = statistics.median(floor_all)
    goal = GOALS[mode]
    print(f"\n  {mode}{' (page cache never hit: a new URL each request)' if mode == 'cold' else ''}")
    print(f"  {'endpoint':<30}{'median ms':>10}{'p95 ms':>8}{'x floor':>9}{'spread':>13}{'goal':>7}  result")
    print(f"  {'floor (trivial view)':<30}{floor:>10.2f}{p95(floor_all):>8.2f}{1:>9.2f}{'':>13}{'-':>7}")
    slow = 0
    for label, _mode, _path, _headers, _expect, has_goal in (e for e in eps if e[1] == mode):
        all_times = [t for rep in times[label] for t in rep]
        ratio = statistics.median(all_times) / floor
        per_rep = [statistics.median(r) / statistics.median(f) for r, f in zip(times[label], times["floor"],
                                                                                strict=True)]
        ok = ratio <= goal
        slow += 0 if ok or not has_goal else 1
        result = ("ok" if ok else "SLOW") if has_goal else "info"
        print(f"  {label:<30}{statistics.median(all_times):>10.2f}{p95(all_times):>8.2f}{ratio:>9.2f}"
              f"{f'{min(per_rep):.2f}-{max(per_rep):.2f}':>13}{(f'{goal:g}x' if has_goal else '-'):>7}  {result}")
    return slow


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def bench_one(kind: str, orgs: int, samples: int, reps: int) -> int:
    url = seed.prepare(kind, orgs)
    fx = fixtures(url, samples * reps + 2 * reps + 1)
    with tempfile.TemporaryDirectory(prefix="register-bench-") as var_dir:
        port = free_port()
        cache, prefix = cache_url(kind), f"bench-{secrets.token_hex(4)}"
        env = server_env(url, var_dir, cache, prefix)
        gunicorn = [sys.executable, "-m", "gunicorn", "convention.wsgi:application", "--bind", f"127.0.0.1:{port}",
                    "--workers", "1", "--log-level", "warning"]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        try:
            for _ in range(300):
                try:
                    if request(port, "/bench/floor/")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            etags = {"register": request(port, "/register/")[1]["etag"],
                     "api": request(port, "/api/v1/organizations/", JSON)[1]["etag"]}
            eps = endpoints(fx, etags)
            print(f"\n== {fx['database']}, {orgs:,} organisations: {samples} requests per endpoint x {reps} "
                  f"repetitions, one gunicorn sync worker on 127.0.0.1:{port}, "
                  f"page cache {'Redis ' + cache if cache else 'embedded file cache'}")
            print(f"   before: {uptime()}")
            slow = sum(report(mode, measure(port, eps, mode, samples, reps), eps) for mode in ("cold", "warm", "304"))
            print(f"\n   server memory (gunicorn master + worker, RSS): {tree_rss_mb(server.pid):.0f} MB")
            print(f"   after:  {uptime()}")
            return slow
        finally:
            server.terminate()
            server.wait(20)
            if cache:
                delete_prefix(cache, prefix)


def delete_prefix(cache: str, prefix: str) -> None:
    """Delete the server's keys as its own cache's ``clear()`` would (only this prefix's)."""
    from members.core.cache import PrefixedRedisCache

    PrefixedRedisCache(cache, {"KEY_PREFIX": prefix}).clear()


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))) / 1024 / 1024
    return f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default=os.environ.get("DB") or "both")
    parser.add_argument("--orgs", default=os.environ.get("BENCH_ORGS", "10000,100000"))
    parser.add_argument("--samples", type=int, default=int(os.environ.get("BENCH_SAMPLES", 30)))
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", 3)))
    parser.add_argument("--fixtures", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fixtures:
        _print_fixtures(args.fixtures)
        return 0
    print(f"machine: {machine()}")
    kinds = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    slow = 0
    for kind in kinds:
        for orgs in (int(n) for n in args.orgs.split(",")):
            slow += bench_one(kind, orgs, args.samples, args.reps)
    print(f"\n{slow} endpoint(s) above their goal")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
