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
