"""Bulletin fixtures: a private publications folder per test and one period with every kind of change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import pytest

from members.models import Organisation
from tests.factories import OrganisationFactory, make_signatory, revoke, withdraw

PERIOD = "2025-03"
PERIOD_START, PERIOD_END = date(2025, 3, 1), date(2025, 3, 31)


@pytest.fixture(autouse=True)
def _publications_root(settings, tmp_path):
    # PUBLICATIONS_ROOT is already per test (tests/conftest.py); render in-process here.
    settings.PUBLICATIONS_RENDER_SUBPROCESS = False  # in-process: fast for tiny bulletins; tests cover the worker
    return settings.PUBLICATIONS_ROOT


def _org(**fields: object) -> Organisation:
    return cast(Organisation, OrganisationFactory(**fields))


@dataclass
class Period:
    stayed: Organisation  # joined before the period, still a signatory
    joined: Organisation  # joined during the period
    withdrew: Organisation  # withdrew during the period
    revoked: Organisation  # revoked with public notice during the period
    before: Organisation  # withdrew before the period: in no list


@pytest.fixture
def march(db) -> Period:
    stayed = make_signatory(_org(name="甲骨文数字政务科技有限公司"), on=date(2025, 1, 10))
    joined = make_signatory(_org(name="乙丙丁软件服务有限公司", roles="developer,operator",
                                                region="310000"), on=date(2025, 3, 5))
    withdrew = make_signatory(_org(name="戊己庚云计算有限公司"), on=date(2025, 1, 20))
    withdraw(withdrew, date(2025, 3, 20), reason="私密理由不公开")
    revoked = make_signatory(_org(name="辛壬癸信息技术有限公司"), on=date(2025, 2, 1))
    revoke(revoked, date(2025, 3, 25), reason="内部核查记录", public_notice="违反公约第十二条，经核实予以通报")
    before = make_signatory(_org(name="子丑寅早退有限公司"), on=date(2025, 1, 3))
    withdraw(before, date(2025, 2, 10))
    for org in (stayed, joined, withdrew, revoked, before):
        org.refresh_from_db()
    return Period(stayed, joined, withdrew, revoked, before)
