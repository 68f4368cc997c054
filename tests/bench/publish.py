"""Benchmark (not a test): seed N signatories and time the whole publication of one period.

``make bench-publish`` runs ``python -m tests.bench.publish``: for each N it seeds a throw-away register
once (SQLite in a temporary folder, or, with ``--db postgres``, a database of its own on the server of
``DATABASE_URL``), then publishes March 2025 ``--runs`` times, each run in a fresh process (so that peak
memory is that run's alone) after removing the previous run's bulletin. A run is the whole
``publication_publish_sync``: query, lists, cover (WeasyPrint child process), assembly, CSV, JSON,
hashes, database rows. It prints wall time (median, min, max over the runs), the part of it spent signing
(the PAdES signature of the PDF and the signature of the JSON, ``members.transparency.signing``;
median), CPU time, peak memory (the
sum of the resident sets of the process and all its descendants, render worker included, sampled every
20 ms; median and max), pages, PDF size and how many font programs the PDF embeds (and the most copies
of any one face: 1 means each face once).

Options: ``--sizes 1000,10000,50000`` ``--runs 3`` ``--db sqlite|postgres``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.helpers import act

ROOT = Path(__file__).resolve().parents[2]


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class PeakMemory(threading.Thread):
    """Samples the resident memory of this process plus all its descendants."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_event.is_set():
            total = _rss_kb(me) + sum(_rss_kb(p) for p in _descendants(me))
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(0.02)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_kb


SYLLABLES = "华信达通联创智云数政务安宏博远恒泰瑞丰盛鼎新科技软件网络服务信息系统平台开源合众天地星辰海川"
REGIONS = ["110000", "310000", "440000", "330000", "320000", "510000", "420000", "370000", "650000", "150000"]
ROLE_SETS = ["developer", "developer,distributor", "operator", "developer,operator", "distributor",
             "developer,distributor,operator,other"]


def seed(n: int) -> None:
    """N organisations with membership periods and events, written in bulk (a benchmark, not a journey)."""
    from members import uscc
    from members.models import Membership, MembershipEvent, MembershipStatus, Organisation

    rng = random.Random(25)
    orgs = []
    for i in range(n):
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 6)))
        name = f"{word}{'科技' if i % 3 else '信息技术'}有限公司{'' if i % 7 else '第' + str(i) + '分公司'}"
        orgs.append(Organisation(uscc=uscc.make("91", "110108", f"{i + 1:08d}"), name=name, roles=rng.choice(ROLE_SETS),
                                 region=rng.choice(REGIONS), contact_email=f"c{i}@private.example.org"))
    Organisation.objects.bulk_create(orgs, batch_size=2000)
    orgs = list(Organisation.objects.order_by("id"))
    start = date(2024, 1, 1)
    memberships, plans = [], []
    for i, org in enumerate(orgs):
        joined = date(2025, 3, 1) + timedelta(days=i % 28) if i % 50 == 0 else start + timedelta(days=i % 420)
        ended, kind = None, ""
        if i % 200 == 1:
            ended, kind = date(2025, 3, 2) + timedelta(days=i % 27), "withdrew"
        elif i % 1000 == 3:
            ended, kind = date(2025, 3, 10), "revoked"
        memberships.append(Membership(organisation=org, started_on=joined, ended_on=ended,
                                      end_kind={"withdrew": "withdrawn", "revoked": "revoked"}.get(kind, "")))
        plans.append((org, joined, ended, kind))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    events = []
    for m, (org, joined, ended, kind) in zip(Membership.objects.order_by("organisation_id"), plans, strict=True):
        events.append(MembershipEvent(organisation=org, membership=m, kind="joined", effective_date=joined,
                                      legal_basis="第二十三条"))
        if ended:
            events.append(MembershipEvent(organisation=org, membership=m, kind=kind, effective_date=ended,
                                          legal_basis="第二十五条" if kind == "withdrew" else "第二十一条",
                                          public_notice="违反公约，经核实予以通报" if kind == "revoked" else ""))
    MembershipEvent.objects.bulk_create(events, batch_size=2000)
    Organisation.objects.filter(memberships__ended_on__isnull=True).update(status=MembershipStatus.SIGNATORY)


def _database_url(db: str, n: int) -> str | None:
    if db == "sqlite":
        return None
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit("--db postgres needs DATABASE_URL=postgres://…")
    return base.rsplit("/", 1)[0] + f"/{base.rsplit('/', 1)[1]}_bench_{n}"


def _setup(n: int, db: str) -> Path:
    work = Path(tempfile.gettempdir()) / f"bench-publish-{db}-{n}"
    work.mkdir(exist_ok=True)
    os.environ["REGISTRY_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention.settings")
    url = _database_url(db, n)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)  # a private SQLite file under the temporary folder
    import django

    django.setup()
    from django.conf import settings

    settings.PUBLICATIONS_ROOT = work / "publications"
    return work


def prepare(n: int, db: str) -> None:
    """Create the database (PostgreSQL) or file (SQLite), migrate and seed it."""
    url = _database_url(db, n)
    if url:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        shutil.rmtree(Path(tempfile.gettempdir()) / f"bench-publish-{db}-{n}", ignore_errors=True)
    _setup(n, db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(n)
    from members.transparency import signing

    signing.identity()  # the demonstration key is created once, here, not inside a timed run


def _font_programs(path: Path) -> tuple[int, int]:
    """(embedded font programs, most copies of one face) in the PDF."""
    import pikepdf

    faces: dict[str, int] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
                    and any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3"))):
                face = str(obj.FontName).split("+", 1)[-1]
                faces[face] = faces.get(face, 0) + 1
    return sum(faces.values()), max(faces.values(), default=0)


class SigningTimer:
    """Adds up the wall time spent in the executive body's signatures (PDF and JSON) during a run."""

    def __init__(self) -> None:
        from members.transparency import signing

        self.seconds = 0.0
        for name in ("sign_pdf", "sign_json"):
            setattr(signing, name, self._timed(getattr(signing, name)))

    def _timed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
        return timed


def run_one(n: int, db: str) -> dict[str, object]:
    work = _setup(n, db)
    from members.publications.models import Publication, PublicationFile
    from members.publications.services import publication_publish_sync

    signing_time = SigningTimer()

    from members.transparency.models import BulletinHead

    # Append-only rows (the files, the heads bulletins printed): a benchmark reset between runs.
    BulletinHead.objects.all()._raw_delete(BulletinHead.objects.db)
    PublicationFile.objects.all()._raw_delete(PublicationFile.objects.db)
    Publication.objects.all().delete()
    shutil.rmtree(work / "publications", ignore_errors=True)
    sampler = PeakMemory()
    sampler.start()
    cpu0 = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    t0 = time.perf_counter()
    pub = publication_publish_sync(act(), "2025-03")
    wall = time.perf_counter() - t0
    cpu1 = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    peak_mb = sampler.stop() / 1024
    cpu = sum(b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime for a, b in zip(cpu0, cpu1, strict=True))
    pdf = pub.files.get(kind="pdf")
    programs, copies = _font_programs(work / "publications" / pdf.path)
    return {"n": n, "status": pub.state, "wall_s": round(wall, 2), "sign_s": round(signing_time.seconds, 2),
            "cpu_s": round(cpu, 2),
            "peak_mb": round(peak_mb), "pages": pub.page_count, "pdf_mb": round(pdf.size / 2**20, 2),
            "fonts": programs, "copies": copies}


def _child(args: list[str]) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-m", "tests.bench.publish", *args], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        print(out.stderr[-3000:], file=sys.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        if args.prepare:
            prepare(args.one, args.db)
            print("{}")
        else:
            print(json.dumps(run_one(args.one, args.db)))
        return 0
    print(f"database: {args.db}; {os.cpu_count()} cores; load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.runs} runs per N")
    print(f"{'N':>7} {'wall s median (min–max)':>24} {'sign s':>6} {'cpu s':>6} {'peak MB median (max)':>21} "
          f"{'pages':>6} "
          f"{'PDF MB':>7} {'fonts':>6} {'copies/face':>11}  status")
    for n in (int(s) for s in args.sizes.split(",")):
        _child(["--one", str(n), "--db", args.db, "--prepare"])
        runs = [_child(["--one", str(n), "--db", args.db]) for _ in range(args.runs)]
        walls = sorted(float(str(r["wall_s"])) for r in runs)
        peaks = sorted(int(str(r["peak_mb"])) for r in runs)
        cpus = sorted(float(str(r["cpu_s"])) for r in runs)
        signs = sorted(float(str(r["sign_s"])) for r in runs)
        r = runs[0]
        wall = f"{statistics.median(walls):.1f} ({walls[0]:.1f}–{walls[-1]:.1f})"
        peak = f"{statistics.median(peaks):.0f} ({peaks[-1]})"
        print(f"{n:>7} {wall:>24} {statistics.median(signs):>6.2f} {statistics.median(cpus):>6.1f} {peak:>21} "
              f"{r['pages']:>6} {r['pdf_mb']:>7} "
              f"{r['fonts']:>6} {r['copies']:>11}  {r['status']}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
