"""Join WeasyPrint's cover with the drawn list pages into one PDF that embeds each face once.

WeasyPrint subsets with "retain gids", so its content streams use the font's own glyph ids, as the list
pages do. For each face used by both, the cover's font dictionary is kept (its pages point at it) and
given one subset of the union of both glyph sets, with the union of widths and ToUnicode entries; the
list pages share that dictionary. A face only the lists use gets a dictionary of the same form.
The result is saved with a content-derived document ID: same input, same bytes.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .fonts import Face, FaceFile
from .listpages import PAGE_H, PAGE_W

_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")
_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def subset_font(file: FaceFile, gids: set[int]) -> bytes:
    """The face cut down to ``gids`` with their ids kept (HarfBuzz, as WeasyPrint does)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(file.path), file.index)
    spec = hb.SubsetInput()
    spec.glyph_set.update(sorted(gids | {0}))
    spec.sets(hb.SubsetInputSets.DROP_TABLE_TAG).update([int.from_bytes(t, "big") for t in _DROP_TABLES])
    spec.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                  | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING)
    result = hb.subset(face, spec)
    if result is None:
        raise RuntimeError(f"HarfBuzz could not subset {file.path}#{file.index}")
    return bytes(result.blob.data)


def _to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>".encode() for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _widths_array(widths: dict[int, float]) -> list[Any]:
    out: list[Any] = []
    run: list[float] = []
    for gid in sorted(widths):
        if gid - 1 not in widths:
            run = []
            out += [gid, run]
        run.append(widths[gid])
    return out


def _read_to_unicode(font: Any) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    return {int(g, 16): bytes.fromhex(u.decode()).decode("utf-16-be", errors="replace") for g, u in _BFCHAR.findall(data)}


def _read_widths(cid_font: Any) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(cid_font.get("/W", []))
    i = 0
    while i + 1 < len(items):
        first, rest = int(items[i]), items[i + 1]
        for k, w in enumerate(rest):
            widths[first + k] = float(w)
        i += 2
    return widths


def _compact(widths: dict[int, float]) -> dict[int, Any]:
    return {g: int(w) if float(w).is_integer() else round(w, 3) for g, w in widths.items()}


def _merge_into(pdf: Any, font: Any, face: Face) -> None:
    import pikepdf

    cid_font = font.DescendantFonts[0]
    descriptor = cid_font.FontDescriptor
    to_unicode = {**face.used, **_read_to_unicode(font)}
    widths = {**{g: float(w) for g, w in face.widths.items()}, **_read_widths(cid_font)}
    data = subset_font(face.file, set(to_unicode) | set(widths))
    key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
    descriptor[key].write(zlib.compress(data, 9), filter=pikepdf.Name.FlateDecode)
    if key == "/FontFile2":
        descriptor[key].Length1 = len(data)
    cid_font.W = pikepdf.Array(_widths_array(_compact(widths)))
    bbox = list(descriptor.FontBBox)
    bbox[2] = max(float(bbox[2]), max(widths.values(), default=0))
    descriptor.FontBBox = pikepdf.Array(bbox)
    font.ToUnicode = pdf.make_stream(zlib.compress(_to_unicode_cmap(to_unicode), 9))
    font.ToUnicode.Filter = pikepdf.Name.FlateDecode


def _new_font(pdf: Any, face: Face) -> Any:
    import pikepdf

    data = subset_font(face.file, set(face.used))
    otf = data[:4] == b"OTTO"
    name = "/" + "".join(chr(65 + b % 26) for b in hashlib.sha256(face.pdf_name.encode()).digest()[:6]) \
        + "+" + face.pdf_name
    extents = face.hb_font.get_font_extents("ltr")
    ascent, descent = round(extents.ascender * 1000 / face.upem), round(extents.descender * 1000 / face.upem)
    file_stream = pdf.make_stream(zlib.compress(data, 9))
    file_stream.Filter = pikepdf.Name.FlateDecode
    if otf:
        file_stream.Subtype = pikepdf.Name.OpenType
    else:
        file_stream.Length1 = len(data)
    widths = _compact({g: float(w) for g, w in face.widths.items()})
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name(name), FontFamily=pikepdf.String(face.file.family),
        Flags=4, FontBBox=[0, descent, max(widths.values(), default=1000), ascent], ItalicAngle=0, Ascent=ascent,
        Descent=descent, CapHeight=ascent, StemV=80, StemH=80,
        **{("FontFile3" if otf else "FontFile2"): file_stream}))
    cid_font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name("/CIDFontType0" if otf else "/CIDFontType2"),
        BaseFont=pikepdf.Name(name),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        CIDToGIDMap=pikepdf.Name.Identity, W=pikepdf.Array(_widths_array(widths)), FontDescriptor=descriptor))
    to_unicode = pdf.make_stream(zlib.compress(_to_unicode_cmap(face.used), 9))
    to_unicode.Filter = pikepdf.Name.FlateDecode
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name(name),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[cid_font], ToUnicode=to_unicode))


def assemble(front: Path, faces: dict[str, Face], bodies: Sequence[str], target: Path,
             outline: Sequence[tuple[str, int]]) -> int:
    """Append the drawn pages (content streams using ``/R``, ``/B``… for ``faces``) to ``front``; save to
    ``target``; ``outline`` adds (title, 0-based page) bookmarks. Returns the page count."""
    import pikepdf

    with pikepdf.open(front) as pdf:
        by_name = {face.pdf_name: face for face in faces.values()}
        shared: dict[str, Any] = {}
        for obj in pdf.objects:
            if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
                    and obj.get("/Subtype") == "/Type0"):
                name = str(obj.BaseFont)[1:].split("+", 1)[-1]
                face = by_name.get(name)
                if face is not None:
                    if name in shared:
                        raise RuntimeError(f"the cover embeds {name} twice")
                    _merge_into(pdf, obj, face)
                    shared[name] = obj
        for face in faces.values():
            if face.pdf_name not in shared:
                shared[face.pdf_name] = _new_font(pdf, face)
        resources = pdf.make_indirect(pikepdf.Dictionary(
            Font=pikepdf.Dictionary({f"/{key}": shared[face.pdf_name] for key, face in faces.items()})))
        for body in bodies:
            stream = pdf.make_stream(zlib.compress(body.encode("latin-1"), 6))
            stream.Filter = pikepdf.Name.FlateDecode
            pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
                Type=pikepdf.Name.Page, MediaBox=[0, 0, PAGE_W, PAGE_H], Resources=resources, Contents=stream)))
        with pdf.open_outline() as tree:
            for title, page in outline:
                tree.root.append(pikepdf.OutlineItem(title, page))
        pages = len(pdf.pages)
        pdf.save(target, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return pages
