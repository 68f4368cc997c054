"""Benchmark of the public register (``make bench``): not a test, a measurement to read.

1. Create a throw-away SQLite database in a temporary folder, migrate it and seed 10,000 organisations
   with about 50,000 membership events (bulk_create).
2. Start ONE gunicorn server (one sync worker) on 127.0.0.1 with production settings (DEBUG off).
3. Measure the median and p95 of each public endpoint next to a trivial view on the same stack (the
   floor) and print the ratios. Goal on a 2-core machine: every median within 5x of the floor, and a
   304 answer within 2x.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORGS = int(os.environ.get("BENCH_ORGS", 10_000))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", 100))
PORTS = range(8200, 8300)

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆"]
WORDS = ["云端", "数字", "政务", "智慧", "信息", "网络", "软件", "数据", "互联", "移动"]
KINDS = ["科技", "技术服务", "软件开发", "信息技术", "网络科技"]
REGION_OF_CITY = {"北京": "110000", "上海": "310000", "广州": "440000", "深圳": "440000", "杭州": "330000",
                  "成都": "510000", "武汉": "420000", "南京": "320000", "西安": "610000", "重庆": "500000"}
ROLE_SETS = ["developer", "distributor", "operator", "other", "developer,operator", "developer,distributor"]


def environment(var_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update({
        "REGISTRY_VAR_DIR": str(var_dir), "DJANGO_DEBUG": "0", "REGISTRY_TESTING": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0", "REGISTRY_BENCH_FLOOR": "1", "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "convention.settings",
    })
    return env


def seed(orgs: int) -> tuple[str, str]:
    """Bulk-insert organisations, periods and events that agree with each other; returns two codes."""
    from members import uscc as uscc_rules
    from members.models import Membership, MembershipEvent, MembershipStatus, Organisation

    start = date(2019, 1, 1)
    org_rows = []
    plans: list[list[tuple[str, date]]] = []
    for n in range(orgs):
        city = CITIES[n % len(CITIES)]
        prefix = "92" if n % 50 == 7 else "91"
        name = f"{city}{WORDS[(n // 10) % 10]}{KINDS[(n // 100) % 5]}有限公司{n:05d}"
        events = 1 + n % 9  # 1..9 events, 5 on average
        first = start + timedelta(days=n % 700)
        plan = []
        for i in range(events):
            kind = "joined" if i % 2 == 0 else ("revoked" if n % 13 == 0 and i == events - 1 else "withdrew")
            plan.append((kind, first + timedelta(days=90 * i)))
        plans.append(plan)
        last_kind, last_date = plan[-1]
        joins = [d for k, d in plan if k == "joined"]
        status = {"joined": MembershipStatus.SIGNATORY, "withdrew": MembershipStatus.WITHDRAWN,
                  "revoked": MembershipStatus.REVOKED}[last_kind]
        org_rows.append(Organisation(
            uscc=uscc_rules.make(prefix, "110108", f"{n + 1:08d}"), name=name,
            name_en=f"{city} Digital Service Co., Ltd. {n:05d}", roles=ROLE_SETS[n % len(ROLE_SETS)],
            region=REGION_OF_CITY[city], contact_name=f"联系人{n}", contact_phone=f"139{n:08d}",
            contact_email=f"contact{n}@private.example.org", status=status, joined_on=joins[-1],
            left_on=None if last_kind == "joined" else last_date,
        ))
    created = Organisation.objects.bulk_create(org_rows, batch_size=2000)
    periods = []
    for org, plan in zip(created, plans, strict=True):
        for i in range(0, len(plan), 2):
            end = plan[i + 1] if i + 1 < len(plan) else None
            periods.append(Membership(organisation=org, started_on=plan[i][1], ended_on=end[1] if end else None,
                                      end_kind={"withdrew": "withdrawn", "revoked": "revoked"}[end[0]] if end else ""))
    periods = Membership.objects.bulk_create(periods, batch_size=2000)
    events = []
    p = 0
    for org, plan in zip(created, plans, strict=True):
        for i, (kind, day) in enumerate(plan):
            if i and i % 2 == 0:
                p += 1
            events.append(MembershipEvent(
                organisation=org, membership=periods[p], kind=kind, effective_date=day,
                legal_basis={"joined": "第二十三条", "withdrew": "第二十五条", "revoked": "第二十一条"}[kind],
                reason="内部理由", public_notice="违反公约，取消成员资格。" if kind == "revoked" else "",
            ))
        p += 1
    MembershipEvent.objects.bulk_create(events, batch_size=5000)
    rejoined = next(o for o, plan in zip(created, plans, strict=True) if len(plan) >= 3 and o.uscc[:2] == "91")
    print(f"seeded {len(created)} organisations, {len(periods)} periods, {len(events)} events")
    return rejoined.uscc, rejoined.name


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port in 8200-8299")


def request(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, elapsed


def measure_interleaved(port: int, endpoints: list[tuple[str, str, dict[str, str], int, float]]
                        ) -> dict[str, list[float]]:
    """Round-robin over the endpoints so that load from elsewhere on the machine hits them all alike."""
    times: dict[str, list[float]] = {label: [] for label, *_ in endpoints}
    for round_ in range(SAMPLES + 3):
        for label, path, headers, expect, _goal in endpoints:
            status, _, ms = request(port, path.replace("{n}", str(round_)), headers)
            if status != expect:
                raise SystemExit(f"{path}: expected {expect}, got {status}")
            if round_ >= 3:  # warm-up rounds are not counted
                times[label].append(ms)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main() -> int:
    var_dir = Path(tempfile.mkdtemp(prefix="register-bench-"))
    port = free_port()
    env = environment(var_dir, port)
    os.environ.update(env)
    for key in ("DATABASE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(key, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    server = None
    try:
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        code, name = seed(ORGS)
        print(f"seeding took {time.perf_counter() - t0:.1f} s; database in {var_dir}")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "convention.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--log-level", "warning"], cwd=ROOT, env=env,
        )
        for _ in range(100):
            try:
                if request(port, "/bench/floor/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")

        json_accept = {"Accept": "application/json"}
        _, headers, _ = request(port, "/register/")
        etag = headers["etag"]
        endpoints: list[tuple[str, str, dict[str, str], int, float]] = [
            ("floor (trivial view)", "/bench/floor/", {}, 200, 0),
            ("register page", "/register/", {}, 200, 5),
            ("filtered search", "/register/?q=%E4%BA%91%E7%AB%AF&region=110000&status=signatory&sort=-joined_on",
             {}, 200, 5),
            ("API list page", "/api/v1/organizations/?page_size=50&status=signatory", json_accept, 200, 5),
            ("API status on date", f"/api/v1/organizations/{code}/status/?on=2020-06-01", json_accept, 200, 5),
            ("304 register page", "/register/", {"If-None-Match": etag}, 304, 2),
            # Informational: a query string never seen before, so the page is built (cache miss).
            ("register page, cold", "/register/?status=signatory&n={n}", {}, 200, 0),
            ("API list page, cold", "/api/v1/organizations/?page_size=50&status=signatory&n={n}", json_accept,
             200, 0),
        ]
        print(f"\n{ORGS} organisations; {SAMPLES} requests each, interleaved; one gunicorn sync worker on 127.0.0.1:{port}\n")
        print(f"{'endpoint':<24}{'median ms':>11}{'p95 ms':>10}{'x floor':>9}{'goal':>7}  result")
        results = measure_interleaved(port, endpoints)
        floor = statistics.median(results[endpoints[0][0]])
        failures = 0
        for label, _path, _headers, _expect, goal in endpoints:
            times = results[label]
            median = statistics.median(times)
            ratio = median / floor
            ok = ratio <= goal if goal else True
            failures += 0 if ok else 1
            goal_text = f"{goal:.0f}x" if goal else ("-" if label == endpoints[0][0] else "info")
            print(f"{label:<24}{median:>11.2f}{p95(times):>10.2f}{ratio:>9.2f}{goal_text:>7}  {('ok' if ok else 'SLOW') if goal else ''}")
        load = os.getloadavg()
        print(f"\nload average during the run: {load[0]:.2f} (2 cores shared with other work)")
        print(f"\n(name used for the search check: {name})")
        return 1 if failures else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
