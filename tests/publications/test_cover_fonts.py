"""The cover's fonts: WeasyPrint copies a font's whole file only when it needs it (members.publications.
pdf_worker._read_font_files_lazily), and the cover it writes is byte for byte what WeasyPrint writes alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from members.publications import pdf_worker

ROOT = Path(__file__).resolve().parents[2]
IDENTIFIER = "bulletin-0001-20250301-20250331"

COVER = """<html><head><style>
body { font-family: "Noto Sans CJK SC"; font-size: 11pt }
h1 { font-family: "Noto Serif CJK SC"; font-weight: bold; font-size: 18pt }
h2 { font-family: "Noto Serif CJK SC"; font-weight: normal; font-size: 16pt }
strong { font-weight: bold }
</style></head><body>
<h1>行业生态服务商自律公约</h1><h2>成员名单公告 第 1 期</h2>
<p>中国互联网协会 <strong>签署成员 10,000 家</strong>，本期加入 12 家。</p>
<p style="font-size: 9pt">第 1 页 / 共 3 页</p>
</body></html>"""


def _text_and_fonts(pdf: Path) -> tuple[str, str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return text, fonts


def test_the_cover_is_written_without_copying_any_whole_font_file(tmp_path, monkeypatch):
    pdf_worker._read_font_files_lazily()
    whole_copies: list[int] = []
    read = pdf_worker.whole_font_file
    monkeypatch.setattr(pdf_worker, "whole_font_file", lambda face: whole_copies.append(1) or read(face))

    pages = pdf_worker.render_front(COVER, str(tmp_path / "cover.pdf"), IDENTIFIER)

    assert pages == 1
    assert whole_copies == []  # HarfBuzz cut every subset from the face itself
    text, fonts = _text_and_fonts(tmp_path / "cover.pdf")
    assert "行业生态服务商自律公约" in text and "签署成员 10,000 家" in text
    embedded = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert len(embedded) == 4  # sans and serif, regular and bold: each one subset, embedded
    assert all(" yes yes yes " in line for line in embedded)


def test_the_cover_is_byte_for_byte_what_weasyprint_writes_by_itself(tmp_path):
    (tmp_path / "cover.html").write_text(COVER, encoding="utf-8")
    plain = textwrap.dedent(f"""
        from pathlib import Path
        from weasyprint import HTML
        HTML(string=Path({str(tmp_path / "cover.html")!r}).read_text()).render().write_pdf(
            {str(tmp_path / "plain.pdf")!r}, pdf_identifier={IDENTIFIER!r}.encode())
    """)
    subprocess.run([sys.executable, "-c", plain], cwd=ROOT, check=True, timeout=120)

    pdf_worker.render_front(COVER, str(tmp_path / "lazy.pdf"), IDENTIFIER)

    assert (tmp_path / "lazy.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()


def test_a_font_whose_whole_file_is_needed_is_read_when_asked_for(tmp_path, monkeypatch):
    """Without HarfBuzz subsetting WeasyPrint falls back to fontTools, which reads the whole file: the
    property reads it then, and the font is embedded as before."""
    from weasyprint.pdf import fonts as pdf_fonts

    pdf_worker._read_font_files_lazily()
    whole_copies: list[int] = []
    read = pdf_worker.whole_font_file
    monkeypatch.setattr(pdf_worker, "whole_font_file", lambda face: whole_copies.append(1) or read(face))
    monkeypatch.setattr(pdf_fonts, "harfbuzz_subset", None)

    html = '<html><body style="font-family: \'DejaVu Sans\'">Register of signatories, No. 1</body></html>'
    pdf_worker.render_front(html, str(tmp_path / "cover.pdf"), IDENTIFIER)

    assert whole_copies == [1]
    text, fonts = _text_and_fonts(tmp_path / "cover.pdf")
    assert "Register of signatories, No. 1" in text
    assert "DejaVu" in fonts


@pytest.mark.parametrize("value", [b"OTTO-subset", None])
def test_the_file_content_property_keeps_what_is_put_and_reads_only_when_empty(monkeypatch, value):
    from weasyprint.pdf import fonts as pdf_fonts

    pdf_worker._read_font_files_lazily()
    monkeypatch.setattr(pdf_worker, "whole_font_file", lambda face: b"whole file of " + face)
    font = object.__new__(pdf_fonts.Font)
    font.hb_face = b"face"
    font.file_content = value
    assert font.file_content == (value or b"whole file of face")
    pdf_worker._read_font_files_lazily()  # a second call changes nothing
    assert isinstance(pdf_fonts.Font.__dict__["file_content"], property)
