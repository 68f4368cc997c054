"""The portal settings page in a real browser (issue 13): a representative on a phone chooses English,
the page and the account's e-mails follow; no serious or critical axe violation in either language."""

from __future__ import annotations

import os

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import sync_playwright

from tests.browser.helpers import launch, screenshot
from tests.browser.test_tour import _axe, _scrolls_sideways
from tests.factories import OrganisationFactory, make_representative

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_representative_chooses_english_on_a_phone(live_server):
    from members.accounts.models import AccountPreference

    rep = make_representative(OrganisationFactory(), "phone-rep@example.org")
    EmailAddress.objects.create(user=rep, email=rep.email, verified=True, primary=True)
    base = live_server.url
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
            context.set_default_timeout(20000)
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=login]", rep.email)
            page.fill("input[name=password]", "correct-horse-battery")
            page.locator("main form button[type=submit]").last.click()
            page.wait_for_load_state()
            assert AccountPreference.objects.get(user=rep).language == "zh-hans"  # the language it signed in with

            page.goto(f"{base}/portal/settings/")
            assert page.locator("h1").inner_text() == "账户设置"
            screenshot(page, "after-portal-settings-zh-phone")
            problems = _axe(page) + (["scrolls sideways"] if _scrolls_sideways(page) else [])
            page.get_by_label("English").check()
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "Account settings"
            assert "Settings saved" in page.content()
            screenshot(page, "after-portal-settings-en-phone")
            problems += _axe(page)
            assert problems == []
            assert AccountPreference.objects.get(user=rep).language == "en"
        finally:
            browser.close()
