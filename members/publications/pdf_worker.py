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


def render_front(html: str, out: str, identifier: str, base_url: str | None = None) -> int:
    """Lay out the cover (and table of contents) and write it; return its page count."""
    from weasyprint import HTML

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
