"""Render HTML parts of a bulletin to PDF in a separate process (``python -m members.publications.pdf_worker``).

It reads a JSON list of ``{"html": ..., "out": ..., "identifier": ...}`` on standard input, writes each PDF
and prints a JSON list of page counts. It imports WeasyPrint only, not Django, so it starts fast, and it
runs as a plain subprocess so that it also works inside a Celery prefork child (a daemonic process may
not fork a ``multiprocessing`` pool). WeasyPrint's warnings go to standard error for the parent to log.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
from typing import Any


def render_part(html: str, out: str, identifier: str) -> int:
    """Lay out one part and write it; return its page count."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    pages = len(document.pages)
    document.write_pdf(out, pdf_identifier=identifier.encode())
    return pages


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    jobs: list[dict[str, Any]] = json.load(sys.stdin)
    counts = []
    for job in jobs:
        counts.append(render_part(job["html"], job["out"], job["identifier"]))
        gc.collect()  # each part's layout tree is garbage once written: keep the peak at one part
    json.dump(counts, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
