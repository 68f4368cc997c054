"""In a real browser, in Chinese: a new staff member signs in, is led to enrolment, reads the secret,
confirms a real TOTP code, sees the backup codes once; then signs in again with a code, and once with
a backup code."""

from __future__ import annotations

import os
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from tests.browser.helpers import launch, screenshot
from tests.factories import UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
PASSWORD = "correct-horse-battery"


def _password(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/admin/")
    page.wait_for_url(f"{base}/security/login/**")
    page.fill("#id_auth-username", email)
    page.fill("#id_auth-password", PASSWORD)
    page.click("#login-next")


@pytest.mark.browser
def test_enrolment_backup_codes_and_login_with_totp(live_server, transactional_db):
    user: Any = UserFactory(username="clerk@example.org", is_staff=True, is_superuser=True)
    base = live_server.url
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(locale="zh-CN")
        violations: list[str] = []
        page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(f"{base}/admin/")
        page.wait_for_url(f"{base}/security/login/**")
        body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        assert "电子邮箱" in body and "工作人员登录" in body
        assert "OTP" not in body and "Username" not in body and "用户名" not in body
        screenshot(page, "second-factor-login-zh")
        _password(page, base, user.email)
        page.wait_for_url(f"{base}/security/setup/")
        page.click("#setup-next")  # the explanation step
        secret = page.inner_text("#otp-secret").strip()
        assert page.locator("img.otp-qr").count() == 1
        screenshot(page, "second-factor-enrol")
        page.fill("#id_generator-token", f"{totp(b32decode(secret)):06d}")
        page.click("#setup-next")
        page.wait_for_url(f"{base}/security/setup/complete/")
        codes = [c.strip() for c in page.locator("#backup-codes code").all_inner_texts()]
        assert len(codes) == 10
        screenshot(page, "second-factor-backup-codes")
        page.click("#continue")
        page.wait_for_url(f"{base}/admin/")
        page.reload()
        assert page.url == f"{base}/admin/"
        assert violations == []  # login, QR code and codes pages under the strict CSP

        # A new browser: password, then the code of the enrolled device.
        device = TOTPDevice.objects.get(user=user)
        device.last_t = -1  # the enrolment used this time step's code
        device.save()
        second = browser.new_context(locale="zh-CN").new_page()
        _password(second, base, user.email)
        assert second.locator("#id_token-otp_token").count() == 1
        assert "OTP Token" not in second.inner_text("body")
        second.fill("#id_token-otp_token", f"{totp(device.bin_key):06d}")
        second.click("#login-next")
        second.wait_for_url(f"{base}/admin/")

        # A third: the phone is lost, a backup code opens the door once.
        third = browser.new_context(locale="zh-CN").new_page()
        _password(third, base, user.email)
        third.click("#use-backup")
        third.fill("#id_backup-otp_token", codes[0])
        third.click("#login-next")
        third.wait_for_url(f"{base}/admin/")
        screenshot(third, "second-factor-after-backup-code")
        browser.close()
