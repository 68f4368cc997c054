"""A tour of every public, portal and main admin page at phone and desktop width, in Chinese and English.

Each page is screenshotted (``test-artifacts/screenshots/<phase>-<page>-<lang>-<width>.png``; the phase
is ``after`` unless ``SCREENSHOT_PHASE`` says otherwise, so "before" pictures can be taken from an older
checkout with the same test) and checked with axe-core: no serious or critical violation, and the page
never scrolls sideways on a phone.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.browser.helpers import ARTIFACTS as ARTIFACTS_DIR
from tests.browser.helpers import admin_login, launch, screenshot
from tests.convention.amendment_helpers import ensure_version_1

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHASE = os.environ.get("SCREENSHOT_PHASE", "after")
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
LANGS = {"zh": "zh-hans", "en": "en"}


def _axe(page: Any) -> list[str]:
    """Serious and critical axe-core violations of the page (axe-core bundled with axe-playwright-python)."""
    from axe_playwright_python.sync_playwright import Axe  # a dev dependency: missing is an error, not a pass
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in bad]


def _scrolls_sideways(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"))


def _visit(context: Any, base: str, pages: list[tuple[str, str]], lang: str, problems: list[str]) -> None:
    page = context.new_page()
    for name, path in pages:
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            page.goto(f"{base}{path}")
            screenshot(page, f"{PHASE}-{name}-{lang}-{width}")
            if PHASE == "before":
                continue
            if width == "phone" and _scrolls_sideways(page):
                problems.append(f"{name} {lang} phone: scrolls sideways")
            problems += [f"{name} {lang} {width}: {v}" for v in _axe(page)]
    page.close()


def _context(browser: Any, lang: str, base: str) -> Any:
    context = browser.new_context(locale="zh-CN" if lang == "zh" else "en-US")
    context.set_default_timeout(20000)
    context.add_cookies([{"name": "django_language", "value": LANGS[lang], "url": base}])
    return context


def _portal_login(context: Any, base: str, email: str, password: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_load_state()
    page.close()


def test_every_page_at_phone_and_desktop_width_in_both_languages(live_server):
    from members.models import Organisation, WithdrawalNotice
    from members.publications.models import Publication

    ensure_version_1()
    call_command("seed_demo", orgs=30, verbosity=0)
    call_command("seed_complaints_demo", verbosity=0)
    base = live_server.url
    org = Organisation.objects.filter(status="signatory").order_by("id").first()
    revoked = Organisation.objects.filter(status="revoked").order_by("id").first()
    bulletin = Publication.objects.order_by("-id").first()
    public = [
        ("home", "/"),
        ("register", "/register/"),
        ("register-search", "/register/?q=%E7%A7%91%E6%8A%80"),
        ("profile", f"/register/{org.pk}/"),
        ("profile-revoked", f"/register/{revoked.pk}/") if revoked else ("profile-again", f"/register/{org.pk}/"),
        ("convention", "/convention/"),
        ("convention-versions", "/convention/versions/"),
        ("amendments", "/convention/amendments/"),
        ("bulletins", "/bulletins/"),
        ("notices", "/complaints/notices/"),
        ("report", "/complaints/report/"),
        ("track", "/complaints/track/"),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
    ]
    assert bulletin is not None
    portal = [
        ("portal-dashboard", "/portal/"),
        ("portal-amendments", "/portal/amendments/"),
        ("portal-cases", "/portal/cases/"),
        ("portal-notifications", "/portal/notifications/"),
        ("portal-team", "/portal/team/"),
        ("portal-withdrawal", "/portal/withdrawal/"),
    ]
    applicant = [("portal-application", "/portal/")]
    notice = WithdrawalNotice.objects.order_by("-id").first()
    admin = [
        ("admin-home", "/admin/"),
        ("admin-applications", "/admin/members/joinapplication/"),
        ("admin-withdrawals", "/admin/members/withdrawalnotice/"),
        ("admin-complaints", "/admin/complaints/complaint/"),
    ]
    if notice is not None:
        admin.append(("admin-withdrawal", f"/admin/members/withdrawalnotice/{notice.pk}/change/"))
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            for lang in LANGS:
                context = _context(browser, lang, base)
                _visit(context, base, public + [("on-date", "/register/on/?on=2025-06-30"),
                                                ("profile-on-date", f"/register/{org.pk}/?on=2025-06-30")],
                       lang, problems)
                context.close()

                context = _context(browser, lang, base)
                _portal_login(context, base, "rep1@example.org", "demo-rep-2026")
                _visit(context, base, portal, lang, problems)
                context.close()

                context = _context(browser, lang, base)
                _portal_login(context, base, "applicant@example.org", "demo-rep-2026")
                _visit(context, base, applicant, lang, problems)
                context.close()

                context = _context(browser, lang, base)
                page = context.new_page()
                admin_login(page, base, "admin@example.org", "demo-admin-2026")
                page.close()
                _visit(context, base, admin, lang, problems)
                context.close()
        finally:
            browser.close()
    (ARTIFACTS_DIR / "tour-problems.txt").write_text("\n".join(problems))
    assert problems == [], "\n".join(problems)
