"""Helpers for browser tests: Playwright drives Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def launch(playwright: Any) -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium package is not installed")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def current_totp(username: str) -> str:
    """A fresh code of the user's TOTP device (created when missing), usable once for a login."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP

    from tests.helpers import staff_device

    device = staff_device(get_user_model().objects.get(username=username))
    # The device refuses a code of a time step it has already accepted: let every login use a new one.
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save(update_fields=["last_t", "throttling_failure_count", "throttling_failure_timestamp"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def admin_login(page: Any, base_url: str, username: str, password: str) -> None:
    """Log into the Django admin through the staff login (all browser tests use this): e-mail and
    password, then a current code of the user's TOTP device (created when missing)."""
    code = current_totp(username)
    page.goto(f"{base_url}/admin/login/")  # the admin sends it to /security/login/?next=/admin/
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", password)
    page.click("#login-next")
    page.fill("#id_token-otp_token", code)
    page.click("#login-next")
    page.wait_for_url(f"{base_url}/admin/**")


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# (language cookie value, browser locale, viewport): both languages, each at both widths.
LANGUAGE_WIDTHS = [("zh-hans", "zh-CN", "phone"), ("zh-hans", "zh-CN", "desktop"),
                   ("en", "en-US", "phone"), ("en", "en-US", "desktop")]
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def axe_serious(page: Any) -> list[str]:
    """Serious and critical axe-core violations of the page as it is now.

    axe-core comes with the axe-playwright-python package (its bundled axe.min.js, injected into the
    page); nothing is downloaded.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    return [f"{page.url} {v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in bad]


def new_context(browser: Any, base_url: str, language: str, locale: str, width: str) -> Any:
    context = browser.new_context(viewport=VIEWPORTS[width], locale=locale, accept_downloads=True)
    context.set_default_timeout(20000)
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    return context


def portal_login(page: Any, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base_url}/portal/**")


def focus_is_visible(page: Any) -> bool:
    """The focused element draws a focus indicator (an outline or a box shadow)."""
    return bool(page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"))
