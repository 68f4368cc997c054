"""Benchmark (not a test): seed N signatories and time the whole publication of one period.

``make bench-publish`` runs ``python -m tests.bench.publish``: for N = 1,000, 5,000 and 10,000 it starts
one fresh process per N (so that peak memory is that N's alone), seeds a throw-away SQLite register in
a temporary folder, publishes March 2025 through ``publication_publish_sync`` (query, PDF parts in
subprocesses, join, stamp, CSV, JSON, hashes, database rows) and prints wall time, CPU time, peak memory
(the sum of the resident sets of the process and its render subprocesses, sampled every 50 ms) and pages.

Options: ``--sizes 1000,5000`` ``--jobs 2`` (render subprocesses) ``--chunk-rows 1000`` (rows per part;
a very large value lays the whole roster out as one document, for comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

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
            self._stop_event.wait(0.05)

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


def run_one(n: int, jobs: int, chunk_rows: int) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-publish-{n}-"))
    os.environ["REGISTRY_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention.settings")
    os.environ.pop("DATABASE_URL", None)  # always a private SQLite file under the temporary folder
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PUBLICATIONS_ROOT = work / "publications"
    settings.PUBLICATIONS_RENDER_JOBS = jobs
    settings.PUBLICATIONS_CHUNK_ROWS = chunk_rows
    call_command("migrate", verbosity=0)
    seed(n)
    from members.publications.services import publication_publish_sync

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
    return {"n": n, "status": pub.state, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "peak_mb": round(peak_mb), "pages": pub.page_count, "pdf_mb": round(pdf.size / 2**20, 1),
            "roster": n - sum(1 for i in range(n) if i % 200 == 1 or i % 1000 == 3),
            "jobs": jobs, "chunk_rows": chunk_rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chunk-rows", type=int, default=1000)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.jobs, args.chunk_rows)))
        return 0
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"jobs={args.jobs} chunk_rows={args.chunk_rows}")
    print(f"{'N':>7} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'pages':>6} {'PDF MB':>7}  status")
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, "-m", "tests.bench.publish", "--one", str(n), "--jobs", str(args.jobs),
                              "--chunk-rows", str(args.chunk_rows)], cwd=ROOT, capture_output=True, text=True,
                             check=False)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return out.returncode
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['n']:>7} {r['wall_s']:>7} {r['cpu_s']:>7} {r['peak_mb']:>8} {r['pages']:>6} {r['pdf_mb']:>7}  "
              f"{r['status']}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
