"""A register of N organisations for the benchmark and the load test, made fast and made once.

Organisations, periods and events that agree with each other (about 5 events per organisation) are
bulk-inserted into a database of their own: on PostgreSQL ``<base>_bench_<N>`` (created here, never an
existing database of the project), on SQLite ``var/bench/register-<N>.sqlite3``. A database that already
holds the same seed (same version, same N) is reused, so repeated runs measure instead of seeding.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SEED_VERSION = "v2"  # change when the seed or the schema it needs changes
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/registry"

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆"]
WORDS = ["云端", "数字", "政务", "智慧", "信息", "网络", "软件", "数据", "互联", "移动"]
KINDS = ["科技", "技术服务", "软件开发", "信息技术", "网络科技"]
REGION_OF_CITY = {"北京": "110000", "上海": "310000", "广州": "440000", "深圳": "440000", "杭州": "330000",
                  "成都": "510000", "武汉": "420000", "南京": "320000", "西安": "610000", "重庆": "500000"}
ROLE_SETS = ["developer", "distributor", "operator", "other", "developer,operator", "developer,distributor"]


def org_name(n: int) -> str:
    return f"{CITIES[n % 10]}{WORDS[(n // 10) % 10]}{KINDS[(n // 100) % 5]}有限公司{n:06d}"


def database_url(kind: str, orgs: int) -> str:
    """Where the seeded register of ``orgs`` organisations lives for ``kind`` (postgres or sqlite)."""
    if kind == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / f'register-{orgs}-{SEED_VERSION}.sqlite3'}"
    base = urlsplit(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    name = f"{base.path.lstrip('/') or 'registry'}_bench_{orgs}_{SEED_VERSION}"
    return urlunsplit((base.scheme, base.netloc, "/" + name, "", ""))


def prepare(kind: str, orgs: int) -> str:
    """Create, migrate and seed the database unless it already holds this seed; returns its URL."""
    url = database_url(kind, orgs)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1", "REGISTRY_TESTING": "0",
           "DJANGO_SETTINGS_MODULE": "convention.settings", "DJANGO_LOG_LEVEL": "WARNING"}
    if kind == "postgres":
        _create_pg_database(url)
    subprocess.run([sys.executable, "-m", "tests.bench.seed", str(orgs)], cwd=ROOT, env=env, check=True)
    return url


def _create_pg_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme.replace("postgres", "postgresql", 1) if parts.scheme == "postgres"
                        else parts.scheme, parts.netloc, "/postgres", "", ""))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _seed_here(orgs: int) -> None:
    """Runs inside the seeding process (Django set up on the bench database)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from members import uscc as uscc_rules
    from members.models import Membership, MembershipEvent, MembershipStatus, Organisation
    from members.sorting import name_sort_key

    if Organisation.objects.count() == orgs:
        print(f"seed: reusing {connection.vendor} database with {orgs} organisations")
        return
    if Organisation.objects.exists():
        raise SystemExit("the bench database holds another register; delete it first")
    t0 = time.perf_counter()
    start = date(2019, 1, 1)
    org_rows, plans = [], []
    for n in range(orgs):
        city = CITIES[n % 10]
        events = 1 + n % 9  # 1..9 events, 5 on average
        first = start + timedelta(days=n % 700)
        plan = [("joined" if i % 2 == 0 else ("revoked" if n % 13 == 0 and i == events - 1 else "withdrew"),
                 first + timedelta(days=90 * i)) for i in range(events)]
        plans.append(plan)
        last_kind, last_date = plan[-1]
        name = org_name(n)
        org_rows.append(Organisation(
            uscc=uscc_rules.make("92" if n % 50 == 7 else "91", "110108", f"{n + 1:08d}"), name=name,
            name_sort=name_sort_key(name), name_en=f"{city} Digital Service Co., Ltd. {n:06d}",
            roles=ROLE_SETS[n % len(ROLE_SETS)], region=REGION_OF_CITY[city], contact_name=f"联系人{n}",
            contact_phone=f"139{n:08d}", contact_email=f"contact{n}@private.example.org",
            status={"joined": MembershipStatus.SIGNATORY, "withdrew": MembershipStatus.WITHDRAWN,
                    "revoked": MembershipStatus.REVOKED}[last_kind],
            joined_on=[d for k, d in plan if k == "joined"][-1], left_on=None if last_kind == "joined" else last_date,
        ))
    created = Organisation.objects.bulk_create(org_rows, batch_size=2000)
    periods = []
    for org, plan in zip(created, plans, strict=True):
        for i in range(0, len(plan), 2):
            end = plan[i + 1] if i + 1 < len(plan) else None
            periods.append(Membership(organisation=org, started_on=plan[i][1], ended_on=end[1] if end else None,
                                      end_kind={"withdrew": "withdrawn", "revoked": "revoked"}[end[0]] if end else ""))
    periods = Membership.objects.bulk_create(periods, batch_size=5000)
    events, p = [], 0
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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seed: {orgs} organisations, {len(periods)} periods, {len(events)} events into {connection.vendor} "
          f"in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    _seed_here(int(sys.argv[1]))
