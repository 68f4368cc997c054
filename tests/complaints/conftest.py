"""Fixtures for complaints: signatory companies, a filed case, and a way through the CAPTCHA."""

from __future__ import annotations

import re
from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache

from complaints import services
from members.models import Organisation
from tests.factories import OrganisationFactory, UserFactory, make_signatory
from tests.helpers import act

REPORTER = {"reporter_name": "举报人赵六", "reporter_email": "whistle@reporter.example.net",
            "reporter_phone": "13912345678"}


def new_org() -> Organisation:
    org: Any = OrganisationFactory()
    return org


def new_staff(username: str) -> Any:
    return UserFactory(username=username, is_staff=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member_a(org_a):
    return make_signatory(org_a)


@pytest.fixture
def member_b(org_b):
    return make_signatory(org_b)


def file_complaint(org: Any, **extra: Any) -> services.Filed:
    data = {"description": "该应用强制用户每日签到并收集无关个人信息。", **extra}
    return services.complaint_file(act(), organisation=org, **data)


@pytest.fixture
def filed(member_a) -> services.Filed:
    return file_complaint(member_a, **REPORTER)


def captcha_answer(html: str) -> dict[str, str]:
    """Read the expected answer of the CAPTCHA on a rendered page from the server's own store."""
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)
    assert key, "no CAPTCHA on the page"
    store = CaptchaStore.objects.get(hashkey=key.group(1))
    return {"captcha_0": store.hashkey, "captcha_1": store.response}


def report_payload(client: Any, **fields: Any) -> dict[str, Any]:
    page = client.get("/complaints/report/")
    assert page.status_code == 200
    return {"app_name": "", "app_kind": "", "article_number": "", "reporter_name": "", "reporter_email": "",
            "reporter_phone": "", **captcha_answer(page.content.decode()), **fields}
