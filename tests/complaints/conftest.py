"""Fixtures for complaints: signatory companies, a filed case, and a way through the CAPTCHA."""

from __future__ import annotations

from typing import Any

import pytest
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


def captcha_answer(client: Any, html: str) -> dict[str, str]:
    """Solve the page's ALTCHA challenge honestly, as the browser widget does: fetch a challenge from
    the site's own endpoint and brute-force its proof of work (no test-mode bypass)."""
    import altcha

    assert "<altcha-widget" in html, "no CAPTCHA on the page"
    challenge = altcha.Challenge.from_dict(client.get("/altcha/challenge/").json())
    solution = altcha.solve_challenge(challenge)
    assert solution is not None
    return {"captcha": altcha.Payload(challenge, solution).to_base64()}


def report_payload(client: Any, **fields: Any) -> dict[str, Any]:
    page = client.get("/complaints/report/")
    assert page.status_code == 200
    return {"app_name": "", "app_kind": "", "article_number": "", "reporter_name": "", "reporter_email": "",
            "reporter_phone": "", **captcha_answer(client, page.content.decode()), **fields}
