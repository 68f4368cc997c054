"""The bulletin looks like a document of the executive body: issuer, document number, date of issue, the
convention's full name, a table of contents for long rosters, the seal, role names kept whole.
Every page is rendered to PNG under ``test-artifacts/bulletin/`` (look at them) and its text extracted."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from django.utils import translation
from PIL import Image, ImageDraw

from members.publications import rendering
from members.publications.selectors import BulletinContent, ListedUnit

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "bulletin"
FULL_NAME = "《政务移动互联网应用程序行业生态服务商自律公约》"
ROLES = ["开发商", "开发商、分发商", "运维商", "开发商、分发商、运维商、其他服务提供者", "其他服务提供者"]
REGIONS = ["北京市", "新疆维吾尔自治区", "广西壮族自治区", "上海市"]

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")


def _unit(i: int, prefix: str = "", notice: str = "") -> ListedUnit:
    name = f"{prefix}华信达通联创智云数政务安宏博远科技有限公司" + ("（北京）第一分公司信息技术服务中心" if i % 9 == 0 else "")
    return ListedUnit(name=f"{name}{i}", uscc=f"91110108MA{i:07d}X"[:18], roles=ROLES[i % len(ROLES)],
                      region=REGIONS[i % len(REGIONS)], date=f"2025-03-{1 + i % 28:02d}", public_notice=notice)


def _content(roster: int) -> BulletinContent:
    return BulletinContent(date(2026, 3, 1), date(2026, 3, 31), [_unit(i, "新") for i in range(12)],
                           [_unit(i, "退") for i in range(3)],
                           [_unit(1, "撤", "违反公约第十二条，经核实予以通报；该单位在收到改正通知后三十日内未改正")],
                           [_unit(i) for i in range(roster)])


@pytest.fixture
def seal(tmp_path) -> Path:
    img = Image.new("RGBA", (400, 400), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((10, 10, 390, 390), outline=(200, 0, 0, 255), width=14)
    draw.regular_polygon((200, 200, 70), 5, fill=(200, 0, 0, 255))
    path = tmp_path / "seal.png"
    img.save(path)
    return path


def _render(meta: rendering.BulletinMeta, content: BulletinContent, target: Path) -> int:
    with translation.override("zh-hans"):
        return rendering.render_pdf(meta, content, target)


def _pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def test_a_long_bulletin_looks_official_on_every_page(settings, tmp_path, seal):
    settings.PUBLICATIONS_SEAL_IMAGE = str(seal)
    meta = rendering.BulletinMeta(7, date(2026, 3, 1), date(2026, 3, 31), issued_on=date(2026, 4, 1))
    pdf = tmp_path / "bulletin.pdf"
    pages = _render(meta, _content(620), pdf)

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "long")], check=True)
    assert len(list(ARTIFACTS.glob("long-*.png"))) == pages
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "3", str(pdf), str(ARTIFACTS / "detail")],
                   check=True)

    texts = _pages_text(pdf)
    cover = re.sub(r"\s+", "", texts[0])
    assert cover.startswith("中国互联网协会中互协公约〔2026〕7号")
    assert f"关于公布{FULL_NAME}成员名单（第7期）的公告" in cover
    assert "2026年4月1日" in cover and cover.count("中国互联网协会") >= 2
    assert "本期加入公约的单位12家" in cover and "截至2026-03-31的签署成员620家" in cover
    toc = texts[1]
    assert "目" in toc and "四、签署成员名录" in toc
    entries = dict(re.findall(r"^\s*(\S.*?)\s*\.*\s+(\d+)\s*$", toc, re.M))
    roster_page = next(int(p) for title, p in entries.items() if title.startswith("四、签署成员名录"))
    assert "四、签署成员名录" in texts[roster_page - 1] and "四、签署成员名录" not in texts[roster_page - 2]
    assert [title for title in entries if title.startswith("第 ")] == [
        f"第 {a}–{min(a + 99, 620)} 家" for a in range(1, 621, 100)]
    for n, text in enumerate(texts[:pages], start=1):
        assert f"第 {n} 页 / 共 {pages} 页" in text and "中互协公约〔2026〕7号" in text
    body = "\n".join(texts[2:])
    for role in ("开发商", "分发商", "运维商", "其他服务提供者"):
        assert role in body
    # A role name is never cut at a line end: every fragment of a role is a whole role.
    assert "其他服务提供者" in body and not re.search(r"其他服务(?!提供者)|(?<!其他服务)提供者", body)
    assert "新疆维吾尔自治区" in body and "违反公约第十二条" in body

    with pikepdf.open(pdf) as doc:
        assert len(doc.pages[0].get_images()) == 1  # the seal, on the cover only
        assert not any(page.get_images() for page in doc.pages[2:])  # the lists carry no image
        info = doc.docinfo
        assert FULL_NAME in str(info["/Title"]) and str(info["/Author"]) == "中国互联网协会"
        assert "中互协公约〔2026〕7号" in str(info["/Keywords"])
        faces: dict[str, int] = {}
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                name = str(obj.FontName).split("+", 1)[-1]
                faces[name] = faces.get(name, 0) + 1
        assert faces and set(faces.values()) == {1}, faces
        assert [str(item.title) for item in doc.open_outline().root][-4:] == [
            "一、本期加入的单位（日期为加入日期）", "二、本期退出的单位（日期为生效日期）",
            "三、本期被取消成员资格并向社会通报的单位（日期为生效日期）", "四、签署成员名录（截至 2026-03-31，日期为加入日期）"]


def test_a_short_bulletin_has_no_table_of_contents_and_no_seal_unless_configured(settings, tmp_path):
    settings.PUBLICATIONS_SEAL_IMAGE = ""
    settings.PUBLICATIONS_DOC_NUMBER = "ISC-{year}-{seq}"
    meta = rendering.BulletinMeta(3, date(2026, 3, 1), date(2026, 3, 31), issued_on=date(2026, 4, 2))
    pdf = tmp_path / "short.pdf"
    pages = _render(meta, _content(20), pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "short")], check=True)
    texts = _pages_text(pdf)
    assert pages == 3 and "目录" not in re.sub(r"\s+", "", "".join(texts))  # cover, changes, roster
    assert "ISC-2026-3" in texts[0] and "2026年4月2日" in re.sub(r"\s+", "", texts[0])
    with pikepdf.open(pdf) as doc:
        assert not doc.pages[0].get_images()


def test_the_transparency_block_prints_on_the_cover_and_in_the_json_only_when_given(tmp_path):
    content = _content(2)
    plain = rendering.BulletinMeta(1, date(2026, 3, 1), date(2026, 3, 31))
    logged = rendering.BulletinMeta(1, date(2026, 3, 1), date(2026, 3, 31),
                                    transparency={"公开日志树头": "size=42 root=9f86d081884c7d65"})
    _render(plain, content, tmp_path / "plain.pdf")
    _render(logged, content, tmp_path / "logged.pdf")
    assert "9f86d081884c7d65" not in _pages_text(tmp_path / "plain.pdf")[0]
    assert "公开日志树头" in _pages_text(tmp_path / "logged.pdf")[0]
    assert "9f86d081884c7d65" in _pages_text(tmp_path / "logged.pdf")[0]
    assert "transparency" not in json.loads(rendering.render_json(plain, content))
    assert json.loads(rendering.render_json(logged, content))["transparency"] == logged.transparency


def test_a_face_used_by_the_cover_and_the_lists_is_embedded_once_with_the_glyphs_of_both(tmp_path):
    from members.publications import listpages
    from members.publications.assemble import assemble
    from members.publications.pdf_worker import render_front

    faces = rendering._faces()
    html = ('<html lang="zh-Hans"><body style="font-family: \'Noto Sans CJK SC\'"><p>封面甲乙丙 ABC</p>'
            '<p style="font-weight: bold">粗体标题</p></body></html>')
    assert render_front(html, str(tmp_path / "cover.pdf"), "t") == 1
    painter = listpages.Painter(faces)
    painter.text(50, 700, "名单丁戊己 XYZ")
    painter.text(50, 680, "粗体名录", "B")
    pages = assemble(tmp_path / "cover.pdf", faces, ["\n".join(painter.ops)], tmp_path / "joined.pdf", [("名单", 1)])
    assert pages == 2
    with pikepdf.open(tmp_path / "joined.pdf") as doc:
        names = [str(o.FontName).split("+", 1)[-1] for o in doc.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"]
    assert sorted(names) == ["Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"]
    texts = _pages_text(tmp_path / "joined.pdf")
    assert "封面甲乙丙 ABC" in texts[0] and "粗体标题" in texts[0]
    assert "名单丁戊己 XYZ" in texts[1] and "粗体名录" in texts[1]
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / "joined.pdf"), str(ARTIFACTS / "shared-face")],
                   check=True)
