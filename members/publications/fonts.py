"""The bulletin's fonts: the file fontconfig gives WeasyPrint for a configured family, a check that it is
really the CJK font (not a fallback), and the glyph metrics the list engine draws with.

Why a check: without the CJK font WeasyPrint falls back to whatever fontconfig offers and warns once per
missing glyph; the bulletin would be unreadable boxes. So every render, ``/health/`` and
``manage.py check`` ask fontconfig (the library and configuration WeasyPrint itself uses, so
``FONTCONFIG_FILE`` applies) which file it matches for the family, and refuse unless that file's family
is the configured one and it has the glyphs a bulletin needs.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.core.errors import DomainError

# Characters every bulletin prints: a match lacking any of them is a fallback, not the CJK font.
PROBE = "中国互联网协会政务应用程序公约成员名单公告第期"


class FontMissing(DomainError):
    def __init__(self, family: str, found: str) -> None:
        super().__init__(
            _("缺少生成名单公告所需的字体“%(family)s”（fontconfig 匹配到的是：%(found)s）。"
              "请安装该字体（Debian：fonts-noto-cjk）后重试；未发布任何内容。") % {"family": family, "found": found},
            code="pdf_font_missing",
        )
        self.family = family


@dataclass(frozen=True)
class FaceFile:
    family: str
    bold: bool
    path: str
    index: int


def pdf_families() -> dict[str, str]:
    """The configured families: body text and the cover's title."""
    return {"body": str(settings.PUBLICATIONS_PDF_FONT), "title": str(settings.PUBLICATIONS_PDF_TITLE_FONT)}


def _fc_match(specs: list[tuple[str, bool]]) -> list[tuple[str, str, int | None]]:
    """(file, family, face index) of fontconfig's best match for each (family, bold), with the
    configuration in force now (``FONTCONFIG_FILE`` included, a font installed since is seen).

    ``fc-match`` is the fontconfig library's own matcher, the one WeasyPrint (through Pango) uses, and
    costs milliseconds; without it, WeasyPrint's fontconfig binding answers (slower: it imports WeasyPrint).
    """
    binary = shutil.which("fc-match")
    if binary:
        found: list[tuple[str, str, int | None]] = []
        for family, bold in specs:
            pattern = family.replace("-", "\\-").replace(":", "\\:") + (":style=Bold" if bold else ":style=Regular")
            try:
                out = subprocess.run([binary, "-f", "%{file}\\n%{family[0]}\\n%{index}", pattern],  # noqa: S603
                                     capture_output=True, text=True, timeout=20, check=False).stdout
            except (OSError, subprocess.TimeoutExpired):
                out = ""
            lines = [*out.split("\n"), "", "", ""]
            found.append((lines[0], lines[1], int(lines[2]) if lines[2].isdigit() else None))
        return found
    return _fc_match_weasyprint(specs)


def _fc_match_weasyprint(specs: list[tuple[str, bool]]) -> list[tuple[str, str, int | None]]:
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    found: list[tuple[str, str, int | None]] = []
    try:
        for family, bold in specs:
            pattern = fontconfig.FcPatternCreate()
            try:
                fontconfig.FcPatternAddString(pattern, b"family", family.encode())
                fontconfig.FcPatternAddString(pattern, b"style", b"Bold" if bold else b"Regular")
                fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
                fontconfig.FcDefaultSubstitute(pattern)
                result = ffi.new("FcResult *")
                match = fontconfig.FcFontMatch(config, pattern, result)
                if match == ffi.NULL:
                    found.append(("", "", None))
                    continue
                values = []
                for key in (b"file", b"family"):
                    out = ffi.new("FcChar8 **")
                    ok = fontconfig.FcPatternGetString(match, key, 0, out) == fontconfig.FcResultMatch
                    values.append(ffi.string(out[0]).decode(errors="replace") if ok else "")
                fontconfig.FcPatternDestroy(match)
                found.append((values[0], values[1], None))
            finally:
                fontconfig.FcPatternDestroy(pattern)
    finally:
        fontconfig.FcConfigDestroy(config)
    return found


def _face_index(path: str, family: str) -> int | None:
    """The face of a collection (.ttc) whose family is ``family``; 0 for a single font file."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    def families(font: Any) -> set[str]:
        names = font["name"]
        return {str(n).casefold() for n in (names.getDebugName(16), names.getDebugName(1)) if n}

    try:
        if path.lower().endswith((".ttc", ".otc")):
            for i, font in enumerate(TTCollection(path, lazy=True).fonts):
                if family.casefold() in families(font):
                    return i
            return None
        return 0 if family.casefold() in families(TTFont(path, lazy=True)) else None
    except (OSError, TTLibError):
        return None


def resolve_faces(specs: list[tuple[str, bool]]) -> list[FaceFile]:
    """The font files WeasyPrint will use for each (family, bold); ``FontMissing`` for the first that is
    a fallback or lacks the glyphs a bulletin prints."""
    import uharfbuzz as hb

    faces = []
    for (family, bold), (path, matched, index) in zip(specs, _fc_match(specs), strict=True):
        if not path or matched.casefold() != family.casefold():
            raise FontMissing(family, f"{matched or '—'} ({path or 'no file'})")
        if index is None:
            index = _face_index(path, family)
        if index is None:
            raise FontMissing(family, path)
        face = hb.Face(hb.Blob.from_file_path(path), index)
        missing = [c for c in PROBE if ord(c) not in face.unicodes]
        if missing:
            raise FontMissing(family, f"{path} ({''.join(missing)})")
        faces.append(FaceFile(family, bold, path, index))
    return faces


def resolve_face(family: str, bold: bool = False) -> FaceFile:
    return resolve_faces([(family, bold)])[0]


def font_problems() -> list[str]:
    """Every configured family that is not really available (for /health/ and ``manage.py check``)."""
    problems = []
    for family in dict.fromkeys(pdf_families().values()):
        try:
            resolve_faces([(family, False), (family, True)])
        except FontMissing as exc:
            problems.append(str(exc.message))
    return problems


@dataclass
class Face:
    """One face as the list engine uses it: glyph ids and advances (1/1000 em), and what was drawn.

    Glyph ids are the font's own (the cmap's), as WeasyPrint writes them (it subsets with "retain gids"),
    so the pages of both engines can share one embedded subset of the face.
    """

    file: FaceFile
    hb_font: Any = field(repr=False)
    upem: int
    glyphs: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    used: dict[int, str] = field(default_factory=dict, repr=False)  # gid -> text (ToUnicode)
    widths: dict[int, int] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, file: FaceFile) -> Face:
        import uharfbuzz as hb

        face = hb.Face(hb.Blob.from_file_path(file.path), file.index)
        return cls(file, hb.Font(face), face.upem)

    @property
    def pdf_name(self) -> str:
        """WeasyPrint's name for the face (without its subset prefix): ``Noto-Sans-CJK-SC-Bold``."""
        return (self.file.family + (" Bold" if self.file.bold else "")).replace(" ", "-")

    def glyph(self, char: str) -> tuple[int, int]:
        found = self.glyphs.get(char)
        if found is None:
            gid = self.hb_font.get_nominal_glyph(ord(char)) or 0
            found = (gid, round(self.hb_font.get_glyph_h_advance(gid) * 1000 / self.upem))
            self.glyphs[char] = found
        return found

    def width(self, text: str, size: float) -> float:
        return sum(self.glyph(c)[1] for c in text) * size / 1000

    def encode(self, text: str) -> str:
        """Hex glyph ids for a PDF string (Identity-H), recording each glyph for the subset and ToUnicode."""
        out = []
        for c in text:
            gid, advance = self.glyph(c)
            if gid and gid not in self.used:
                self.used[gid] = c
                self.widths[gid] = advance
            out.append(f"{gid:04x}")
        return "".join(out)
