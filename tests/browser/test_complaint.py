"""A member of the public files an anonymous report, follows it by code, and sees it closed after an
officer decides it in the admin.

The CAPTCHA is passed honestly: Chromium runs the site's own ALTCHA widget, which fetches a challenge and
solves its proof of work (no test-mode bypass), under the site's strict Content-Security-Policy.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import sync_playwright

from members.groups import COMPLAINT_OFFICER
from tests.browser.helpers import admin_login, launch, screenshot
from tests.convention.amendment_helpers import ensure_version_1
from tests.factories import OrganisationFactory, UserFactory, make_signatory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def solved(page: Any) -> None:
    """Wait until the ALTCHA widget has solved its challenge (it starts on load)."""
    page.wait_for_function(
        "() => { const f = document.querySelector('#submit-report').form;"
        " return (new FormData(f).get('captcha') || '').length > 20; }", timeout=60000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_anonymous_report_is_followed_and_closed(live_server):
    ensure_version_1()  # the form lists its articles; an earlier transactional test may have flushed them
    org = make_signatory(OrganisationFactory(name="丙方移动应用有限公司"))
    officer = UserFactory(username="officer@example.org", is_staff=True)
    officer.groups.add(Group.objects.get(name=COMPLAINT_OFFICER))
    base = live_server.url
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(locale="zh-CN")
        csp: list[str] = []
        page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
        try:
            page.goto(f"{base}/complaints/report/")
            page.fill("#id_member", org.uscc)
            page.fill("#id_app_name", "掌上办事")
            page.select_option("#id_app_kind", "quick_app")
            page.fill("#id_description", "快应用启动时强制要求签到，不签到无法使用。")
            page.select_option("#id_article_number", "14")
            solved(page)
            screenshot(page, "complaint-report-form")
            page.click("#submit-report")
            code = page.inner_text("#tracking-code").strip()
            assert len(code.replace("-", "")) == 26
            screenshot(page, "complaint-filed")

            page.goto(f"{base}/complaints/track/")
            page.fill("#id_code", code)
            page.click("#submit-track")
            assert page.inner_text(".complaint-state") == "已受理"

            officer_page = browser.new_page(locale="zh-CN")
            admin_login(officer_page, base, "officer@example.org", "correct-horse-battery")
            officer_page.goto(f"{base}/admin/complaints/complaint/")
            officer_page.click("#result_list a[href$='/case/']")
            officer_page.click("input[name=_submit_start_verification]")
            assert officer_page.inner_text("#case-state") == "查证核实中"
            officer_page.fill("#id_close_unfounded-text", "经核查，该快应用未设置强制签到。")
            officer_page.click("input[name=_submit_close_unfounded]")
            assert "查证不属实" in officer_page.inner_text("#case-state")
            screenshot(officer_page, "complaint-officer-closed")

            page.goto(f"{base}/complaints/track/")
            page.fill("#id_code", code.lower().replace("-", " "))
            page.click("#submit-track")
            assert page.inner_text(".complaint-state") == "查证不属实（已结案）"
            assert "经核查，该快应用未设置强制签到。" in page.inner_text("#complaint-status")
            screenshot(page, "complaint-tracked-closed")
            assert csp == []
        finally:
            browser.close()
