"""Pure period arithmetic, the list layout (wrapping, pagination), and the content derived from the event log."""

from __future__ import annotations

from datetime import date

import pytest

from members.publications import listpages
from members.publications.fonts import Face
from members.publications.rendering import check_fonts
from members.publications.selectors import (
    ListedUnit,
    bulletin_content,
    last_completed_period,
    parse_period,
)

from .conftest import PERIOD_END, PERIOD_START


@pytest.mark.parametrize(("today", "months", "expected"), [
    (date(2025, 4, 1), 1, (date(2025, 3, 1), date(2025, 3, 31))),
    (date(2025, 1, 15), 1, (date(2024, 12, 1), date(2024, 12, 31))),
    (date(2024, 3, 1), 1, (date(2024, 2, 1), date(2024, 2, 29))),
    (date(2025, 5, 20), 3, (date(2025, 1, 1), date(2025, 3, 31))),
    (date(2025, 2, 1), 3, (date(2024, 10, 1), date(2024, 12, 31))),
    (date(2025, 6, 30), 12, (date(2024, 1, 1), date(2024, 12, 31))),
])
def test_it_finds_the_last_completed_period(today, months, expected):
    assert last_completed_period(today, months) == expected


def test_it_parses_periods():
    assert parse_period("2025-02") == (date(2025, 2, 1), date(2025, 2, 28))
    assert parse_period("2025-11", 3) == (date(2025, 11, 1), date(2026, 1, 31))
    with pytest.raises(ValueError):
        parse_period("2025-13")


def _units(n: int, prefix: str) -> list[ListedUnit]:
    return [ListedUnit(f"{prefix}{i}", "x", "开发商、运维商", "北京市", "2025-01-01") for i in range(n)]


@pytest.fixture(scope="module")
def faces() -> dict[str, Face]:
    regular, bold, *_ = check_fonts()
    return {"R": Face.open(regular), "B": Face.open(bold)}


def test_role_lists_wrap_between_role_names_never_inside_one(faces):
    roles = "开发商、分发商、运维商、其他服务提供者"
    for width in (30, 45, 60, 80, 100):
        lines = listpages.wrap_tokens(faces["R"], roles, "、", width)
        assert "".join(lines) == roles
        for line in lines:
            assert all(part in {"开发商", "分发商", "运维商", "其他服务提供者"} for part in line.split("、") if part)


def test_names_wrap_by_character_and_closing_punctuation_never_starts_a_line(faces):
    name = "超长名称（北京）科技有限公司" * 4
    lines = listpages.wrap_chars(faces["R"], name, 60)
    assert "".join(lines) == name and len(lines) > 3
    assert not [line for line in lines[1:] if line[0] in listpages.NO_LINE_START]


def test_the_layout_puts_every_row_once_and_starts_the_roster_on_a_new_page(faces):
    sections = [listpages.Section("joined", "一", _units(3, "j"), "无"),
                listpages.Section("withdrew", "二", [], "无"),
                listpages.Section("revoked", "三", _units(1, "r"), "无", notice_label="通报事由：%s"),
                listpages.Section("roster", "四", _units(300, "s"), "无")]
    pages = listpages.layout(sections, faces, ["序号", "单位名称", "统一社会信用代码", "角色", "所在地区", "日期"], "、",
                             mark_every=100)
    marks = {m.section: m for m in pages.marks}
    assert marks["joined"].page == 0 and marks["roster"].page == 1  # the roster on a page of its own
    assert [m.first_no for m in pages.marks if m.section == "roster-part"] == [1, 101, 201]
    assert len(pages.pages) >= 4
    assert "无" in faces["R"].used.values() and "序" in faces["B"].used.values()


def test_it_derives_the_lists_from_the_event_log(march):
    content = bulletin_content(PERIOD_START, PERIOD_END)
    assert [u.name for u in content.joined] == [march.joined.name]
    assert [u.name for u in content.withdrew] == [march.withdrew.name]
    assert [(u.name, u.public_notice) for u in content.revoked] == [(march.revoked.name, "违反公约第十二条，经核实予以通报")]
    assert [u.name for u in content.roster] == sorted([march.stayed.name, march.joined.name])
    joined = content.joined[0]
    assert joined.uscc == march.joined.public_uscc
    assert joined.date == "2025-03-05" and joined.region == "上海市" and joined.roles == "开发商、运维商"


def test_it_gives_the_same_content_for_a_past_period_after_later_events(march):
    from tests.factories import withdraw

    before = bulletin_content(PERIOD_START, PERIOD_END)
    withdraw(march.stayed, date(2025, 5, 2))
    assert bulletin_content(PERIOD_START, PERIOD_END) == before
