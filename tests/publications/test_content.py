"""Pure period arithmetic, the part plan, and the content derived from the event log."""

from __future__ import annotations

from datetime import date

import pytest

from members.publications.rendering import plan_parts
from members.publications.selectors import (
    BulletinContent,
    ListedUnit,
    bulletin_content,
    last_completed_period,
    parse_period,
)
from tests.helpers import act, for_org

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
    return [ListedUnit(f"{prefix}{i}", "x", "r", "g", "2025-01-01") for i in range(n)]


def test_it_plans_parts_of_bounded_size_with_the_roster_on_its_own():
    content = BulletinContent(date(2025, 3, 1), date(2025, 3, 31), _units(3, "j"), [], _units(1, "r"),
                              _units(7, "s"))
    parts = plan_parts(content, chunk_rows=3)
    assert parts[0].title_page and all(not p.title_page for p in parts[1:])
    assert all(p.row_count <= 3 for p in parts)
    roster_blocks = [b for p in parts for b in p.blocks if b.section == "roster"]
    assert [b.first_no for b in roster_blocks] == [1, 4, 7]
    assert [b.starts_section for b in roster_blocks] == [True, False, False]
    # Every section appears, empty ones too (they print "none"), and every row exactly once.
    assert {b.section for p in parts for b in p.blocks} == {"joined", "withdrew", "revoked", "roster"}
    assert sum(p.row_count for p in parts) == 11
    first_roster_part = next(p for p in parts if any(b.section == "roster" for b in p.blocks))
    assert all(b.section == "roster" for b in first_roster_part.blocks)


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
    from members import services

    before = bulletin_content(PERIOD_START, PERIOD_END)
    notice = services.withdrawal_file(for_org(march.stayed), march.stayed)
    services.withdrawal_acknowledge(act(None), notice, effective_date=date(2025, 5, 2))
    assert bulletin_content(PERIOD_START, PERIOD_END) == before


def test_grid_rows_wrap_long_values_and_keep_columns_aligned():
    from members.publications.rendering import COLUMNS, GRID_WIDTH, grid_row, text_width

    name = "超长名称" * 15  # 60 CJK characters: 120 half-em units, the name column holds 40
    text = grid_row(["12", name, "91110108MA01234567", "开发商、分发商、运维商、其他服务提供者", "新疆维吾尔自治区",
                     "2025-03-05"], notice="违反公约第十二条")
    lines = text.split("\n")
    assert all(text_width(line) <= GRID_WIDTH for line in lines)
    assert "".join(line[7:].split(" ")[0] for line in lines[:-1]) == name
    uscc_at = COLUMNS[0][1] + COLUMNS[1][1]
    first = lines[0]
    assert first.startswith("12") and first.endswith("2025-03-05")
    # The code starts at the same half-em offset as the header's column: the grid holds.
    assert text_width(first[: first.index("9111")]) == uscc_at
    assert lines[-1].strip() == "违反公约第十二条"
    assert len(lines) >= 4
