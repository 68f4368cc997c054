"""The files of a bulletin: PDF, CSV and JSON, byte-identical for the same content.

PDF (figures in the README, from ``make bench-publish``):
1. Fonts first: the configured families must resolve, through WeasyPrint's fontconfig, to the CJK font
   itself (``fonts.resolve_face``); otherwise ``FontMissing`` and nothing is written.
2. The lists (joined, withdrew, revoked, roster) are paginated and drawn in this process by
   ``listpages`` (a row is a few glyph runs; no HTML layout), which also yields the table of contents.
3. The cover (issuer, document number, title, summary, date of issue, seal, table of contents) is an
   HTML template laid out by WeasyPrint in a child process (``pdf_worker``) that starts before step 2,
   so its start-up overlaps the list drawing; its output goes to files, it dies with its parent, and
   it is killed when the render's time limit (``PUBLICATIONS_RENDER_TIMEOUT``) passes.
4. ``assemble`` appends the list pages to the cover with one shared subset per face, and
   ``finalise_pdf`` is the one place a finished file may still be changed (e.g. signed) before hashing.
Page numbers are drawn with the pages (the total is known before anything is drawn), so there is no
stamping pass. Nothing reads the clock: dates come from the period and the bulletin's issue date.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as dt_time
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from members.core.errors import DomainError
from members.core.i18n import list_separator

from . import listpages
from .assemble import assemble
from .fonts import Face, FaceFile, resolve_faces
from .selectors import BulletinContent

logger = logging.getLogger("weasyprint")
perf_log = logging.getLogger(__name__)

SECTIONS = ("joined", "withdrew", "revoked", "roster")
TOC_MIN_PAGES = 5  # a table of contents once the lists fill this many pages
TOC_MAX_ROSTER_ENTRIES = 30  # keeps the table of contents on one page


class RenderTimeout(DomainError):
    code = "render_timeout"


@dataclass(frozen=True)
class BulletinMeta:
    number: int
    period_start: date
    period_end: date
    corrects_number: int | None = None
    issued_on: date | None = None  # date of issue printed on the cover; the period's end if unknown
    # Filled by the transparency log (the "verify" work): printed in the cover's block and the JSON.
    transparency: dict[str, Any] | None = None

    @property
    def identifier(self) -> str:
        return f"bulletin-{self.number:04d}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"

    @property
    def issue_date(self) -> date:
        return self.issued_on or self.period_end

    @property
    def doc_number(self) -> str:
        return str(settings.PUBLICATIONS_DOC_NUMBER).format(year=self.issue_date.year, seq=self.number,
                                                             number=self.number)


@dataclass
class Deadline:
    """The render's time limit; every step checks it, the worker is killed when it passes."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def check(self) -> None:
        if self.remaining() <= 0:
            raise RenderTimeout(_("名单公告生成超过时限（%(s)s 秒），已中止；未发布任何内容。") % {"s": int(self.seconds)})


def default_deadline() -> Deadline:
    return Deadline(float(settings.PUBLICATIONS_RENDER_TIMEOUT))


class CoverWorker:
    """The WeasyPrint child process of one render (see ``pdf_worker``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._out: IO[bytes] = open(folder / "worker.out", "wb")  # noqa: SIM115 - closed in close()
        self._err: IO[bytes] = open(folder / "worker.err", "wb")  # noqa: SIM115
        env = {**os.environ, "PDF_WORKER_PARENT": str(os.getpid()),
               "PYTHONPATH": os.pathsep.join([str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")])}
        # Its own session, so that a time-out kills the worker and anything it started.
        self.proc = subprocess.Popen([sys.executable, "-m", "members.publications.pdf_worker"],
                                     stdin=subprocess.PIPE, stdout=self._out, stderr=self._err,
                                     cwd=str(settings.BASE_DIR), env=env, start_new_session=True)

    def render(self, job: dict[str, str], deadline: Deadline) -> int:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(job) + "\n").encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            pass  # it died already: its exit code and standard error say why, below
        try:
            code = self.proc.wait(timeout=max(0.1, deadline.remaining()))
        except subprocess.TimeoutExpired:
            self.close()
            deadline.check()
            raise
        err = (self.folder / "worker.err").read_text(errors="replace").strip()
        for line in err.splitlines()[-50:]:
            logger.warning("pdf_worker: %s", line)
        if code != 0:
            raise RuntimeError(f"pdf_worker exited with {code}: {err[-2000:]}")
        return int(json.loads((self.folder / "worker.out").read_text())["pages"])

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        self._out.close()
        self._err.close()


def _sections(content: BulletinContent) -> list[listpages.Section]:
    end = content.period_end.isoformat()
    return [
        listpages.Section("joined", _("一、本期加入的单位（日期为加入日期）"), content.joined, _("本期无。")),
        listpages.Section("withdrew", _("二、本期退出的单位（日期为生效日期）"), content.withdrew, _("本期无。")),
        listpages.Section("revoked", _("三、本期被取消成员资格并向社会通报的单位（日期为生效日期）"), content.revoked,
                          _("本期无。"), notice_label=_("通报事由：%s")),
        listpages.Section("roster", _("四、签署成员名录（截至 %(end)s，日期为加入日期）") % {"end": end},
                          content.roster, _("本期无。")),
    ]


def column_labels() -> list[str]:
    return [_("序号"), _("单位名称"), _("统一社会信用代码"), _("角色"), _("所在地区"), _("日期")]


def check_fonts() -> list[FaceFile]:
    """The four faces a bulletin uses (body and title, regular and bold); ``FontMissing`` if one is not
    really there. The title's faces are checked too: refuse now rather than print boxes."""
    body, title = str(settings.PUBLICATIONS_PDF_FONT), str(settings.PUBLICATIONS_PDF_TITLE_FONT)
    return resolve_faces([(body, False), (body, True), (title, False), (title, True)])


def _faces() -> dict[str, Face]:
    regular, bold, *_title = check_fonts()
    return {"R": Face.open(regular), "B": Face.open(bold)}


def _toc(sections: list[listpages.Section], lists: listpages.ListPages, first_list_page: int) -> list[dict[str, Any]]:
    titles = {s.key: s.title for s in sections}
    entries = []
    for mark in lists.marks:
        page = first_list_page + mark.page
        if mark.section == "roster-part":
            entries.append({"title": _("第 %(a)s–%(b)s 家") % {"a": f"{mark.first_no:,}", "b": f"{mark.last_no:,}"},
                            "page": page, "sub": True})
        else:
            entries.append({"title": titles[mark.section], "page": page, "sub": False})
    return entries


def cover_context(meta: BulletinMeta, content: BulletinContent, *, total_pages: int,
                  toc: list[dict[str, Any]], list_pages: int) -> dict[str, Any]:
    seal = str(settings.PUBLICATIONS_SEAL_IMAGE or "")
    issued = meta.issue_date
    return {
        "meta": meta,
        "issuer": settings.PUBLICATIONS_ISSUER,
        "doc_number": meta.doc_number,
        "convention": settings.CONVENTION_FULL_NAME,
        "period_start": meta.period_start.isoformat(),
        "period_end": meta.period_end.isoformat(),
        "issued": _("%(y)s年%(m)s月%(d)s日") % {"y": issued.year, "m": issued.month, "d": issued.day},
        # The document's dates are the period's last moment, never the clock.
        "created": f"{meta.period_end.isoformat()}T23:59:59+08:00",
        "counts": {s: len(getattr(content, s)) for s in SECTIONS},
        "changes": content.changes,  # a correction's statement of what changed (members.publications.selectors)
        "total_pages": total_pages,
        "list_pages": list_pages,
        "first_list_page": total_pages - list_pages + 1,
        "footer_left": footer_left(meta),
        # "第 n 页 / 共 T 页" around CSS's own page counter: one translated label for every page.
        "page_label": page_label("\x00", total_pages).split("\x00", 1),
        "toc": toc,
        "seal_url": Path(seal).resolve().as_uri() if seal and Path(seal).is_file() else "",
        "transparency": meta.transparency or None,
        "body_font": settings.PUBLICATIONS_PDF_FONT,
        "title_font": settings.PUBLICATIONS_PDF_TITLE_FONT,
    }


def footer_left(meta: BulletinMeta) -> str:
    return _("%(doc)s · 成员名单公告 第 %(n)s 期 · 期间：%(a)s 至 %(b)s") % {
        "doc": meta.doc_number, "n": meta.number, "a": meta.period_start.isoformat(), "b": meta.period_end.isoformat()}


def page_label(n: object, total: int) -> str:
    return _("第 %(n)s 页 / 共 %(t)s 页") % {"n": n, "t": total}


def render_pdf(meta: BulletinMeta, content: BulletinContent, target: Path, deadline: Deadline | None = None) -> int:
    """Write the bulletin PDF to ``target``; return its page count. Refuses (``FontMissing``,
    ``RenderTimeout``) without leaving ``target`` behind."""
    deadline = deadline or default_deadline()
    timings: dict[str, float] = {}
    faces = _faces()
    in_process = not settings.PUBLICATIONS_RENDER_SUBPROCESS
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".render-") as tmp:
        folder = Path(tmp)
        worker = None if in_process else CoverWorker(folder)
        try:
            sections = _sections(content)
            # Roster entries in the table of contents every so many hundred rows, at most 30 of them.
            marks = max(1, math.ceil(len(content.roster) / TOC_MAX_ROSTER_ENTRIES / 100)) * 100
            lists = listpages.layout(sections, faces, column_labels(), list_separator(), deadline.check, marks)
            timings["lists"] = deadline.seconds - deadline.remaining()
            with_toc = len(lists.pages) >= TOC_MIN_PAGES
            if not with_toc:
                lists.marks = [m for m in lists.marks if m.section != "roster-part"]
            front_pages = 2 if with_toc else 1
            for _attempt in range(2):
                total = front_pages + len(lists.pages)
                html = render_to_string("pdf/bulletin_cover.html", cover_context(
                    meta, content, total_pages=total, toc=_toc(sections, lists, front_pages + 1) if with_toc else [],
                    list_pages=len(lists.pages)))
                job = {"html": str(folder / "cover.html"), "out": str(folder / "cover.pdf"),
                       "identifier": meta.identifier, "base_url": str(settings.BASE_DIR)}
                Path(job["html"]).write_text(html, encoding="utf-8")
                if worker is not None:
                    got = worker.render(job, deadline)
                    worker.close()
                    worker = None
                else:
                    from .pdf_worker import render_front

                    got = render_front(html, job["out"], job["identifier"], job["base_url"])
                if got == front_pages:
                    break
                front_pages = got  # the cover ran longer than planned: number the pages again
            else:
                raise RuntimeError(f"the cover's page count does not settle ({front_pages})")
            timings["cover"] = deadline.seconds - deadline.remaining()
            deadline.check()
            left = footer_left(meta)
            bodies = ["\n".join(ops) + "\n" + listpages.footer(faces, left, page_label(front_pages + i + 1, total))
                      for i, ops in enumerate(lists.pages)]
            outline = [(m_title, front_pages + m.page) for m, m_title in
                       ((m, s.title) for m in lists.marks for s in sections if s.key == m.section)]
            assembled = folder / "assembled.pdf"
            pages = assemble(folder / "cover.pdf", faces, bodies, assembled, outline)
            timings["assemble"] = deadline.seconds - deadline.remaining()
            deadline.check()
            os.replace(assembled, target)
        finally:
            if worker is not None:
                worker.close()
    perf_log.info("bulletin %s: %s pages, cumulative seconds %s", meta.number, pages,
                  {k: round(v, 2) for k, v in timings.items()})
    return pages


def issue_time(meta: BulletinMeta) -> datetime:
    """The bulletin's signing time: its period's last moment, as its creation date (never the clock)."""
    return datetime.combine(meta.period_end, dt_time(23, 59, 59), tzinfo=timezone(timedelta(hours=8)))


def finalise_pdf(meta: BulletinMeta, path: Path) -> None:
    """The one place a rendered PDF may still change before it is hashed and published: the executive
    body's PAdES signature, deterministic (members.transparency.signing), so the same content keeps
    giving the same bytes."""
    from members.transparency import signing

    path.write_bytes(signing.sign_pdf(path.read_bytes(), when=issue_time(meta), reason=meta.identifier))


CSV_COLUMNS = ["bulletin_number", "period_start", "period_end", "section", "no", "name", "uscc", "roles", "region",
               "date", "public_notice"]
# Only a correction carries these (as its JSON carries ``changes``): every other bulletin keeps its bytes.
CSV_CORRECTION_COLUMNS = ["corrects", "change"]


def render_csv(meta: BulletinMeta, content: BulletinContent) -> bytes:
    """One row per listed unit; a correction adds, after them, one ``changes`` row per line of the
    statement of changes its PDF cover prints, with the number of the bulletin it corrects."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    extra = CSV_CORRECTION_COLUMNS if content.changes else []
    writer.writerow([*CSV_COLUMNS, *extra])
    head = [meta.number, meta.period_start.isoformat(), meta.period_end.isoformat()]
    for section in SECTIONS:
        for no, unit in enumerate(getattr(content, section), start=1):
            writer.writerow([*head, section, no, unit.name, unit.uscc, unit.roles, unit.region, unit.date,
                             unit.public_notice, *([""] * len(extra))])
    for no, line in enumerate(content.changes, start=1):
        writer.writerow([*head, "changes", no, "", "", "", "", "", "", meta.corrects_number or "", line])
    # A byte-order mark so that spreadsheet programs read the Chinese names as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def render_json(meta: BulletinMeta, content: BulletinContent) -> bytes:
    data: dict[str, Any] = {"bulletin_number": meta.number, "corrects": meta.corrects_number,
                            "document_number": meta.doc_number, "issuer": str(settings.PUBLICATIONS_ISSUER),
                            "issued_on": meta.issue_date.isoformat(), **content.as_dict()}
    if meta.transparency:
        from members.transparency.signing import sign_json

        data["transparency"] = meta.transparency
        data = sign_json(data)  # the executive body's signature over the canonical form of the rest
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
