"""In a real browser: the admin login with its second factor, and the admin and Swagger UI working
under the Content-Security-Policy without any violation."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.helpers import admin_login, launch, screenshot
from tests.factories import UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_admin_login_with_code_and_swagger_ui_work_under_the_csp(live_server, transactional_db):
    user: Any = UserFactory(username="root@example.org", is_staff=True, is_superuser=True)
    violations: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        page.on("console", lambda msg: violations.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text
                else None)
        admin_login(page, live_server.url, user.username, "correct-horse-battery")
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}/admin/auth/user/{user.pk}/change/")
        assert page.locator("#user_form").count() == 1
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
        screenshot(page, "security-swagger-under-csp")
        # A second login of the same user in the same 30 s step works too (helpers reset the device).
        context = browser.new_context()
        second = context.new_page()
        admin_login(second, live_server.url, user.username, "correct-horse-battery")
        second.wait_for_url(f"{live_server.url}/admin/")
        browser.close()
    assert violations == []
