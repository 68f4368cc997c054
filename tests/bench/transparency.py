"""Benchmark (not a test): the cost of signing a 10,000-signatory bulletin and of the public log at scale.

``make bench-publish`` runs it after ``tests.bench.publish``. In a throw-away SQLite register it seeds
N signatories (``tests.bench.publish.seed``), renders the period's unsigned PDF once, then times
``signing.sign_pdf`` on it (PAdES, the executive body's key; median of 3) and ``signing.sign_json`` on
its JSON content; then logs every event (``log_backfill``), grows the log with synthetic entries to
``--log-size`` and times a tree head, an inclusion proof and a consistency proof at that size
(median of 20 each, read from the stored complete subtrees).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace


def _median(fn: object, times: int) -> float:
    samples = []
    for _ in range(times):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatories", type=int, default=10_000)
    parser.add_argument("--log-size", type=int, default=100_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-transparency-"))
    os.environ["REGISTRY_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.PUBLICATIONS_ROOT = work / "publications"
    call_command("migrate", verbosity=0)
    from members.publications import rendering
    from members.publications.selectors import bulletin_content, parse_period
    from members.transparency import selectors, services, signing
    from members.transparency.canonical import EntryKind
    from tests.bench.publish import seed

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    seed(args.signatories)
    start, end = parse_period("2025-03")
    content = bulletin_content(start, end)
    meta = rendering.BulletinMeta(1, start, end)
    pdf_path = work / "bulletin.pdf"
    pages = rendering.render_pdf(meta, content, pdf_path)
    data = pdf_path.read_bytes()
    signing.identity()  # key loading is once per process, not per document
    when = rendering.issue_time(meta)
    pdf_s = _median(lambda: signing.sign_pdf(data, when=when, reason="bench"), 3)
    doc = json.loads(rendering.render_json(meta, content))
    json_s = _median(lambda: signing.sign_json(doc), 3)
    print(f"signing a {len(content.roster):,}-signatory bulletin ({pages} pages, {len(data) / 2**20:.1f} MB PDF): "
          f"PDF {pdf_s:.2f} s, JSON {json_s:.2f} s (median of 3)")

    t0 = time.perf_counter()
    backfilled = services.log_backfill()
    backfill_s = time.perf_counter() - t0
    bench_kind = EntryKind(name="bench", version=1, body=lambda row: {"i": row.pk}, rows=lambda: [],
                           time=lambda row: timezone.now(), get=lambda pk: None)
    t0 = time.perf_counter()
    n = selectors.log_size()
    while n < args.log_size:
        batch = [(bench_kind, SimpleNamespace(pk=i), timezone.now()) for i in range(n, min(n + 10_000, args.log_size))]
        services._append(batch)
        n = selectors.log_size()
    grow_s = time.perf_counter() - t0
    head_s = _median(lambda: selectors.head(n), 20)
    incl_s = _median(lambda: selectors.inclusion_proof(n // 3, n), 20)
    cons_s = _median(lambda: selectors.consistency_proof(n // 2 + 1, n), 20)
    print(f"public log: {backfilled:,} events logged in {backfill_s:.1f} s; grown to {n:,} entries in {grow_s:.1f} s")
    print(f"at {n:,} entries: tree head {head_s * 1000:.1f} ms, inclusion proof {incl_s * 1000:.1f} ms, "
          f"consistency proof {cons_s * 1000:.1f} ms (median of 20)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
