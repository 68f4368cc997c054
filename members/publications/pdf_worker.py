"""Lay out a bulletin's cover with WeasyPrint in a child process: ``python -m members.publications.pdf_worker``.

Protocol: the parent starts the worker early (so that importing WeasyPrint and loading fontconfig
overlap with the parent's own work), then writes one JSON line ``{"html": path, "out": path,
"identifier": str}`` on standard input. The worker writes the PDF and prints ``{"pages": n}``.
Its standard output and error go to files, never to pipes the parent must drain, so a flood of
warnings cannot block it. It dies with its parent (``PR_SET_PDEATHSIG``) and the parent kills its
process group when the render's time limit passes. It imports WeasyPrint only, not Django.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

_read_whole: Any = None  # WeasyPrint's reader of a face's file, kept by _read_font_files_lazily


def whole_font_file(hb_face: Any) -> bytes | None:
    """A copy of the whole file of ``hb_face`` (what WeasyPrint reads when a ``Font`` is created)."""
    return _read_whole(hb_face)  # type: ignore[no-any-return]


def _read_font_files_lazily() -> None:
    """Make WeasyPrint copy a font's file only if it needs the whole file.

    WeasyPrint's ``Font`` copies its face's whole file into memory when it is created (a CJK collection
    is 20-27 MB), though with HarfBuzz subsetting (libharfbuzz-subset0) it cuts the subset from the face
    and never reads that copy; the copies were half of this process's memory. ``file_content`` becomes
    a property that reads the file the first time something asks for it (a variable or colour font,
    fontTools subsetting, a font embedded whole), so what is written is unchanged. Idempotent.
    """
    global _read_whole
    from weasyprint.pdf import fonts as pdf_fonts

    font_class: Any = pdf_fonts.Font
    if isinstance(font_class.__dict__.get("file_content"), property):
        return
    read = _read_whole = pdf_fonts.get_hb_object_data
    original_init = font_class.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        pdf_fonts.get_hb_object_data = lambda *a, **k: None  # type: ignore[assignment]  # read later
        try:
            original_init(self, *args, **kwargs)
        finally:
            pdf_fonts.get_hb_object_data = read

    def get(self: Any) -> bytes:
        data = self.__dict__.get("_file_content")
        if data is None:
            data = self.__dict__["_file_content"] = whole_font_file(self.hb_face)
        return data  # type: ignore[no-any-return]

    def put(self: Any, value: bytes | None) -> None:
        self.__dict__["_file_content"] = value

    font_class.__init__ = init
    font_class.file_content = property(get, put)


def render_front(html: str, out: str, identifier: str, base_url: str | None = None) -> int:
    """Lay out the cover (and table of contents) and write it; return its page count."""
    from weasyprint import HTML

    _read_font_files_lazily()
    document = HTML(string=html, base_url=base_url).render()
    document.write_pdf(out, pdf_identifier=identifier.encode())
    return len(document.pages)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the parent dies; exit now if it already has."""
    parent = int(os.environ.get("PDF_WORKER_PARENT", "0"))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's kill on exit still applies
        pass
    if parent and os.getppid() != parent:
        sys.exit(3)


def main() -> int:
    _die_with_parent()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint.text.fonts import FontConfiguration

    FontConfiguration()  # warm fontconfig while the parent lays out the lists
    line = sys.stdin.readline()
    if not line.strip():
        return 0  # the parent gave up before sending a job
    job = json.loads(line)
    pages = render_front(Path(job["html"]).read_text(encoding="utf-8"), job["out"], job["identifier"],
                         job.get("base_url"))
    json.dump({"pages": pages}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
