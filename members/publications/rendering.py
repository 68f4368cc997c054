"""The files of a bulletin: PDF (WeasyPrint), CSV and JSON, all byte-identical for the same content.

PDF design (measured in tests/bench/publish.py; the figures are in the README):
1. No HTML table. Each listed unit is one block of pre-formatted text on a fixed-pitch grid (Noto Sans
   CJK SC: CJK glyphs 1 em, Latin 1/2 em with the OpenType "hwid" feature), padded and wrapped here in
   Python; the column header sits in the page's top margin box so it repeats on every page. One box per
   row instead of a dozen table boxes cuts WeasyPrint's layout and drawing cost about tenfold.
2. Parts. The bulletin is cut into parts of at most ``PUBLICATIONS_CHUNK_ROWS`` rows (title page and
   change lists first, the roster from a new page), so no single layout grows large: cost and memory
   stay linear in N.
3. Parallel. The parts are laid out in ``PUBLICATIONS_RENDER_JOBS`` plain subprocesses (``pdf_worker``;
   a Celery prefork child may not start a multiprocessing pool), each part carrying the bulletin number
   and period in its footer.
4. Page numbers. Once every part is rendered the total is known: one light document of empty pages with
   only "n / total" in the footer is rendered and drawn over the joined pages (pikepdf, a fixed resource
   name per page and a content-derived document ID).
Nothing reads the clock: the metadata dates come from the period, so the same content gives the same
bytes, whether the parts are rendered in subprocesses or in process.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .selectors import BulletinContent, ListedUnit

logger = logging.getLogger("weasyprint")
perf_log = logging.getLogger(__name__)

SECTIONS = ("joined", "withdrew", "revoked", "roster")


@dataclass(frozen=True)
class BulletinMeta:
    number: int
    period_start: date
    period_end: date
    corrects_number: int | None = None

    @property
    def identifier(self) -> str:
        return f"bulletin-{self.number:04d}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"


@dataclass
class Block:
    section: str
    rows: list[ListedUnit]
    first_no: int  # 1-based running number of the first row within its section
    starts_section: bool


@dataclass
class Part:
    title_page: bool = False
    blocks: list[Block] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(b.rows) for b in self.blocks)


def plan_parts(content: BulletinContent, chunk_rows: int) -> list[Part]:
    """Cut the bulletin into parts of at most ``chunk_rows`` rows; the roster starts a new part."""
    parts = [Part(title_page=True)]
    for section in SECTIONS:
        rows: list[ListedUnit] = getattr(content, section)
        if section == "roster" and parts[-1].row_count:
            parts.append(Part())
        if not rows:
            parts[-1].blocks.append(Block(section, [], 1, True))
            continue
        pos = 0
        while pos < len(rows):
            room = chunk_rows - parts[-1].row_count
            if room <= 0:
                parts.append(Part())
                continue
            take = rows[pos:pos + room]
            parts[-1].blocks.append(Block(section, take, pos + 1, pos == 0))
            pos += len(take)
    return parts


# The roster is a fixed-pitch text grid, not an HTML table: every CJK glyph of Noto Sans CJK SC is 1 em
# wide and, with the OpenType "hwid" feature, every Latin glyph is 1/2 em; so a row is one block of
# pre-formatted text (one box instead of a dozen table boxes), padded and wrapped here in Python.
# Widths are in half-em units; A4 less the margins holds 121 of them at the body font size.
COLUMNS = (("no", 7), ("name", 42), ("uscc", 20), ("roles", 22), ("region", 18), ("date", 10))
GRID_WIDTH = sum(w for _, w in COLUMNS)


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Cut ``text`` into lines of at most ``width`` half-em units (by character: names have no spaces)."""
    lines, line, used = [], "", 0
    for c in " ".join(text.split()):
        w = text_width(c)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line += c
        used += w
    return [*lines, line] if line or not lines else lines


def grid_row(values: list[str], notice: str = "") -> str:
    last = len(COLUMNS) - 1  # every column keeps two units of gap after it, except the last
    cells = [wrap(v, w if i == last else w - 2) for i, (v, (_, w)) in enumerate(zip(values, COLUMNS, strict=True))]
    height = max(len(c) for c in cells)
    lines = []
    for i in range(height):
        line = ""
        for cell, (_key, w) in zip(cells, COLUMNS, strict=True):
            part = cell[i] if i < len(cell) else ""
            line += part + " " * (w - text_width(part))
        lines.append(line.rstrip())
    if notice:
        indent = COLUMNS[0][1]
        lines += [" " * indent + part for part in wrap(notice, GRID_WIDTH - indent - 2)]
    return "\n".join(lines)


def grid_header() -> str:
    labels = {"no": _("序号"), "name": _("单位名称"), "uscc": _("统一社会信用代码"), "roles": _("角色"),
              "region": _("所在地区"), "date": _("日期")}
    return grid_row([str(labels[key]) for key, _w in COLUMNS])


def _row_text(no: int, unit: ListedUnit) -> str:
    notice = str(_("通报事由：%(notice)s") % {"notice": unit.public_notice}) if unit.public_notice else ""
    return grid_row([str(no), unit.name, unit.uscc, unit.roles, unit.region, unit.date], notice)


def _context(meta: BulletinMeta, content: BulletinContent) -> dict[str, Any]:
    return {
        "meta": meta,
        "period_start": meta.period_start.isoformat(),
        "period_end": meta.period_end.isoformat(),
        # The creation date of the document is the period's last moment, never the clock.
        "created": f"{meta.period_end.isoformat()}T23:59:59+08:00",
        "counts": {s: len(getattr(content, s)) for s in SECTIONS},
        "changes": content.changes,  # a correction's statement of what changed (history helper)
        "grid_header": grid_header(),
    }


def part_html(meta: BulletinMeta, content: BulletinContent, part: Part) -> str:
    blocks = [{"section": b.section, "starts_section": b.starts_section,
               "rows": [_row_text(b.first_no + i, u) for i, u in enumerate(b.rows)]} for b in part.blocks]
    return render_to_string("pdf/bulletin.html", {**_context(meta, content), "part": part, "blocks": blocks})


def stamp_html(meta: BulletinMeta, content: BulletinContent, pages: int) -> str:
    return render_to_string("pdf/bulletin_stamp.html", {**_context(meta, content), "pages": range(pages)})


def _run_workers(jobs: list[dict[str, str]], processes: int) -> list[int]:
    """Render jobs in up to ``processes`` subprocesses, contiguous slices each; page counts in order."""
    processes = max(1, min(processes, len(jobs)))
    size = -(-len(jobs) // processes)
    slices = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")])}
    procs = []
    try:
        for chunk in slices:
            proc = subprocess.Popen([sys.executable, "-m", "members.publications.pdf_worker"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    cwd=str(settings.BASE_DIR), env=env)
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(chunk).encode())
            proc.stdin.close()
            procs.append(proc)
        counts: list[int] = []
        for proc in procs:
            assert proc.stdout is not None and proc.stderr is not None
            out = proc.stdout.read()
            err = proc.stderr.read().decode(errors="replace").strip()
            code = proc.wait()
            for line in err.splitlines():
                logger.warning("pdf_worker: %s", line)
            if code != 0:
                raise RuntimeError(f"pdf_worker exited with {code}: {err[-2000:]}")
            counts.extend(json.loads(out))
        return counts
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _render_in_process(jobs: list[dict[str, str]]) -> list[int]:
    from .pdf_worker import render_part

    return [render_part(j["html"], j["out"], j["identifier"]) for j in jobs]


def render_pdf(meta: BulletinMeta, content: BulletinContent, target: Path) -> int:
    """Write the bulletin PDF to ``target``; return its page count."""
    import pikepdf

    chunk_rows = int(getattr(settings, "PUBLICATIONS_CHUNK_ROWS", 1000))
    processes = int(getattr(settings, "PUBLICATIONS_RENDER_JOBS", 2))
    parts = plan_parts(content, chunk_rows)
    start = time.perf_counter()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".parts-") as tmp:
        jobs = [{"html": part_html(meta, content, p), "out": str(Path(tmp) / f"part-{i:05d}.pdf"),
                 "identifier": f"{meta.identifier}-{i}"} for i, p in enumerate(parts)]
        timings["html"] = time.perf_counter() - start
        if processes <= 1 or len(jobs) == 1:
            counts = _render_in_process(jobs)
        else:
            counts = _run_workers(jobs, processes)
        timings["parts"] = time.perf_counter() - start
        total = sum(counts)
        stamp_path = Path(tmp) / "stamp.pdf"
        _render_in_process([{"html": stamp_html(meta, content, total), "out": str(stamp_path),
                             "identifier": f"{meta.identifier}-stamp"}])
        timings["stamp"] = time.perf_counter() - start
        with pikepdf.open(jobs[0]["out"]) as pdf:
            opened = []
            try:
                for job in jobs[1:]:
                    part = pikepdf.open(job["out"])
                    opened.append(part)
                    pdf.pages.extend(part.pages)
                stamp = pikepdf.open(stamp_path)
                opened.append(stamp)
                if len(stamp.pages) != len(pdf.pages):
                    raise RuntimeError(f"page count mismatch: {len(stamp.pages)} stamps, {len(pdf.pages)} pages")
                _overlay(pdf, stamp)
                timings["join"] = time.perf_counter() - start
                pdf.save(target, deterministic_id=True, compress_streams=True,
                         object_stream_mode=pikepdf.ObjectStreamMode.generate)
            finally:
                for part in opened:
                    part.close()
    perf_log.info("bulletin %s: %s parts, %s pages, cumulative seconds %s", meta.number, len(parts), total,
                  {k: round(v, 2) for k, v in timings.items()})
    return total


def _overlay(pdf: Any, stamp: Any) -> None:
    """Draw each stamp page over the matching page, under a fixed resource name (pikepdf's own
    ``add_overlay`` picks random names, which would change the bytes on every run)."""
    for n, (page, stamp_page) in enumerate(zip(pdf.pages, stamp.pages, strict=True), start=1):
        # One name per page: the pages of a part may share one resource dictionary.
        name = f"/BulletinPageNo{n}"
        form = pdf.copy_foreign(stamp_page.as_form_xobject())
        page.add_resource(form, "/XObject", name)
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(f"\nQ\nq {name} Do Q\n".encode()))


def render_csv(meta: BulletinMeta, content: BulletinContent) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["bulletin_number", "period_start", "period_end", "section", "no", "name", "uscc", "roles",
                     "region", "date", "public_notice"])
    for section in SECTIONS:
        for no, unit in enumerate(getattr(content, section), start=1):
            writer.writerow([meta.number, meta.period_start.isoformat(), meta.period_end.isoformat(), section, no,
                             unit.name, unit.uscc, unit.roles, unit.region, unit.date, unit.public_notice])
    # A byte-order mark so that spreadsheet programs read the Chinese names as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def render_json(meta: BulletinMeta, content: BulletinContent) -> bytes:
    data = {"bulletin_number": meta.number, "corrects": meta.corrects_number, **content.as_dict()}
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
