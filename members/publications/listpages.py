"""The lists of a bulletin (joined, withdrew, revoked, roster) drawn straight into PDF page content.

Why not WeasyPrint for these: a roster is one fixed table repeated thousands of times; laying it out as
HTML cost ~1.5 ms a row and ~50 MB per thousand rows (measured: 16–18 s and 485 MB at 10,000). Here a
row is a few glyph runs at known positions: the cells are measured with the font's own advances
(HarfBuzz), wrapped in Python (names by character, role lists only between role names, never inside one),
and a row never splits across pages. The pages use the same glyph ids as WeasyPrint's cover, so
``assemble`` embeds each face once for the whole document.

Nothing here reads the clock or the environment: the same content gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .fonts import Face
from .selectors import ListedUnit

MM = 72 / 25.4
PAGE_W, PAGE_H = 595.2756, 841.8898  # A4, as WeasyPrint sizes it
LEFT = RIGHT = 15 * MM
BODY_TOP = PAGE_H - 27 * MM
BODY_BOTTOM = 20 * MM
SIZE, LEADING, PAD = 8.0, 11.0, 2.2  # row text size, line height and padding (pt)
HEAD_SIZE = 10.5
# (key, width pt, right-aligned); the widths add up to the text width of the page (A4 less 2 × 15 mm).
COLUMNS = (("no", 30, True), ("name", 156, False), ("uscc", 94, False), ("roles", 106, False),
           ("region", 76, False), ("date", 48.24, False))
CELL_GAP = 6.0
# Never at the start of a line (Chinese line-breaking rules): such a character stays on the line before.
NO_LINE_START = set("）)]】》」』、，。：；！？,.;:!?%")


@dataclass
class Section:
    key: str
    title: str
    rows: Sequence[ListedUnit]
    empty_text: str
    notice_label: str = ""  # "通报事由：%s" for the revoked list


@dataclass
class Mark:
    """A place the table of contents points at."""

    section: str
    first_no: int
    last_no: int
    page: int  # 0-based within the list pages


@dataclass
class ListPages:
    pages: list[list[str]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


def wrap_chars(face: Face, text: str, width: float, size: float = SIZE) -> list[str]:
    """Lines of at most ``width`` pt, cut between characters (closing punctuation never starts a line)."""
    lines: list[str] = []
    line, used = "", 0.0
    for c in " ".join(text.split()):
        w = face.glyph(c)[1] * size / 1000
        if used + w > width and line and c not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += c
        used += w
    return [*lines, line] if line or not lines else lines


def wrap_tokens(face: Face, text: str, sep: str, width: float, size: float = SIZE) -> list[str]:
    """Lines of whole tokens (role names) joined by ``sep``: a role name is never cut."""
    tokens = [t for t in text.split(sep) if t]
    lines: list[str] = []
    line = ""
    for i, token in enumerate(tokens):
        piece = token + (sep if i < len(tokens) - 1 else "")
        if line and face.width(line + piece.rstrip(sep), size) > width:
            lines.append(line)
            line = ""
        line += piece
    return [*lines, line] if line or not lines else lines


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


class Painter:
    """Accumulates one page's content stream operators (text runs grouped in one BT…ET)."""

    def __init__(self, faces: dict[str, Face]) -> None:
        self.faces = faces
        self.ops: list[str] = []

    def text(self, x: float, y: float, s: str, font: str = "R", size: float = SIZE, gray: float = 0.0) -> None:
        if not s:
            return
        color = f"{_num(gray)} g " if gray else ""
        self.ops.append(f"BT {color}/{font} {_num(size)} Tf 1 0 0 1 {_num(x)} {_num(y)} Tm "
                        f"<{self.faces[font].encode(s)}> Tj ET")

    def text_right(self, x_right: float, y: float, s: str, font: str = "R", size: float = SIZE) -> None:
        self.text(x_right - self.faces[font].width(s, size), y, s, font, size)

    def text_center(self, y: float, s: str, font: str = "R", size: float = SIZE) -> None:
        self.text((PAGE_W - self.faces[font].width(s, size)) / 2, y, s, font, size)

    def rule(self, x1: float, x2: float, y: float, width: float = 0.3, gray: float = 0.65) -> None:
        self.ops.append(f"{_num(gray)} G {_num(width)} w {_num(x1)} {_num(y)} m {_num(x2)} {_num(y)} l S")


def _column_x() -> list[float]:
    xs, x = [], LEFT
    for _key, width, _right in COLUMNS:
        xs.append(x)
        x += width
    return xs


COLUMN_X = _column_x()


def _cells(face: Face, no: int, unit: ListedUnit, role_sep: str) -> list[list[str]]:
    values = {"no": str(no), "name": unit.name, "uscc": unit.uscc, "roles": unit.roles, "region": unit.region,
              "date": unit.date}
    cells = []
    for key, width, _right in COLUMNS:
        if key == "roles":
            cells.append(wrap_tokens(face, values[key], role_sep, width - CELL_GAP))
        else:
            cells.append(wrap_chars(face, values[key], width - CELL_GAP))
    return cells


def layout(sections: Sequence[Section], faces: dict[str, Face], header: Sequence[str], role_sep: str,
           check: Callable[[], None] = lambda: None, mark_every: int = 0) -> ListPages:
    """Paginate and draw every list; ``check`` is called once a page (the render's deadline).

    ``header`` holds the column labels drawn at the top of every page; ``mark_every`` > 0 records a
    table-of-contents mark every that many roster rows.
    """
    out = ListPages()
    face = faces["R"]
    painter: Painter | None = None
    y = 0.0

    def new_page() -> Painter:
        nonlocal y
        check()
        p = Painter(faces)
        for x, label, (_key, width, right) in zip(COLUMN_X, header, COLUMNS, strict=True):
            if right:
                p.text_right(x + width - CELL_GAP, BODY_TOP + 3 * MM, label, "B")
            else:
                p.text(x, BODY_TOP + 3 * MM, label, "B")
        p.rule(LEFT, PAGE_W - RIGHT, BODY_TOP + 1.5 * MM, 0.6, 0.0)
        out.pages.append(p.ops)
        y = BODY_TOP
        return p

    def room(height: float) -> Painter:
        nonlocal painter
        if painter is None or y - height < BODY_BOTTOM:
            painter = new_page()
        return painter

    for section in sections:
        heading_h = HEAD_SIZE * 1.2 + 3 * MM
        first_row_h = LEADING + 2 * PAD
        p = room(heading_h + first_row_h)
        if section.key == "roster" and y != BODY_TOP:  # the roster starts a page of its own
            painter = None
            p = room(heading_h)
        start_page = len(out.pages) - 1
        y -= HEAD_SIZE * 1.2 + (2 * MM if y != BODY_TOP else 0)
        p.text(LEFT, y, section.title, "B", HEAD_SIZE)
        y -= 3 * MM
        out.marks.append(Mark(section.key, 1, len(section.rows), start_page))
        if not section.rows:
            y -= LEADING
            p.text(LEFT, y, section.empty_text, gray=0.25)
            continue
        for no, unit in enumerate(section.rows, start=1):
            cells = _cells(face, no, unit, role_sep)
            notice = (wrap_chars(face, section.notice_label % unit.public_notice,
                                 PAGE_W - RIGHT - COLUMN_X[1] - CELL_GAP)
                      if section.notice_label and unit.public_notice else [])
            lines = max(len(c) for c in cells) + len(notice)
            height = lines * LEADING + 2 * PAD
            p = room(height)
            if mark_every and section.key == "roster" and (no - 1) % mark_every == 0:
                out.marks.append(Mark("roster-part", no, min(no + mark_every - 1, len(section.rows)),
                                      len(out.pages) - 1))
            baseline = y - PAD - SIZE * 0.9
            for cell, x, (_key, width, right) in zip(cells, COLUMN_X, COLUMNS, strict=True):
                for i, text in enumerate(cell):
                    if right:
                        p.text_right(x + width - CELL_GAP, baseline - i * LEADING, text)
                    else:
                        p.text(x, baseline - i * LEADING, text)
            base = max(len(c) for c in cells)
            for i, text in enumerate(notice):
                p.text(COLUMN_X[1], baseline - (base + i) * LEADING, text, gray=0.2)
            y -= height
            p.rule(LEFT, PAGE_W - RIGHT, y)
    return out


def footer(faces: dict[str, Face], left: str, page_label: str) -> str:
    p = Painter(faces)
    p.rule(LEFT, PAGE_W - RIGHT, 15 * MM, 0.4, 0.4)
    p.text(LEFT, 10.5 * MM, left, size=7.5, gray=0.2)
    p.text_right(PAGE_W - RIGHT, 10.5 * MM, page_label, size=7.5)
    return "\n".join(p.ops)
