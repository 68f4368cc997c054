"""A visitor searches the register, opens a profile and reads the convention, in a real browser."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.helpers import launch, screenshot
from tests.convention.amendment_helpers import ensure_version_1
from tests.public.seed import PUBLIC_NOTICE, seed_register

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_checks_a_company_and_reads_the_convention(live_server):
    ensure_version_1()  # another transactional test in this worker may have flushed it
    register = seed_register()
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(locale="zh-CN", java_script_enabled=False)  # the site works without JS
            page.goto(f"{live_server.url}/")
            page.fill("#home-q", "违约")
            page.click("form[role=search] button[type=submit]")
            assert "现有签署单位 3 家" in page.inner_text(".signatory-count")
            rows = page.locator("tbody tr")
            assert rows.count() == 1
            screenshot(page, "public-register-search")
            page.click("details.fold > summary")  # the filters fold behind one button
            page.select_option("#id_status", "revoked")
            page.click("form[role=search] button[type=submit]")
            page.click(f"text={register.revoked.name}")
            assert page.inner_text("h1") == register.revoked.name
            assert "已取消成员资格" in page.inner_text("main")
            assert PUBLIC_NOTICE in page.inner_text(".notice")
            assert register.revoked.contact_phone not in page.content()
            screenshot(page, "public-profile")

            page.click("nav >> text=公约文本")
            assert page.locator("#art-23 h3").inner_text() == "第二十三条"
            page.click("a[href='#art-25']")
            assert page.locator("#art-25").is_visible()
            page.click("text=历次版本")
            assert page.locator("tbody tr").count() == 1 and "现行" in page.inner_text("tbody")
            screenshot(page, "public-convention-versions")
        finally:
            browser.close()
