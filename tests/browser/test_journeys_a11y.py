"""The main journeys in a real browser, in Chinese and English, at phone and desktop width, checked by axe.

- an applicant fills the one application form (details and both files), saves once, sees what is still
  missing and what comes next, and submits;
- a representative votes with the keyboard in a radio group that is a fieldset with a legend;
- a member of the public files a report and follows it with the keyboard alone: a visible focus on every
  stop, the fields in reading order, errors announced, focused and linked to their fields.

Each page passes axe-core (serious and critical violations only; axe comes with axe-playwright-python,
nothing is downloaded). Screenshots go to test-artifacts/screenshots/journey-*.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect, sync_playwright

from members.models import JoinApplication
from tests.browser.helpers import (
    LANGUAGE_WIDTHS,
    axe_serious,
    focus_is_visible,
    launch,
    new_context,
    portal_login,
    screenshot,
)
from tests.convention.amendment_helpers import ensure_version_1, executive_ballot, signatories
from tests.factories import PNG_BYTES, OrganisationFactory, UserFactory, make_signatory, pdf_bytes, valid_uscc

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
COMBOS = pytest.mark.parametrize(("language", "locale", "width"), LANGUAGE_WIDTHS,
                                 ids=[f"{lang[:2]}-{w}" for lang, _, w in LANGUAGE_WIDTHS])


@pytest.fixture(autouse=True)
def _quick(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _verified_user(email: str) -> Any:
    from allauth.account.models import EmailAddress

    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _look(page: Any, name: str, problems: list[str]) -> None:
    screenshot(page, f"journey-{name}")
    problems += axe_serious(page)


def _en(language: str, zh: str, en: str) -> str:
    return en if language == "en" else zh


@COMBOS
def test_an_applicant_applies_with_one_save_and_sees_what_comes_next(live_server: Any, tmp_path: Path,
                                                                      language: str, locale: str, width: str):
    _verified_user("applicant@example.cn")
    licence, sealed = tmp_path / "licence.png", tmp_path / "sealed.pdf"
    licence.write_bytes(PNG_BYTES)
    sealed.write_bytes(pdf_bytes("sealed"))
    base, tag = live_server.url, f"apply-{language[:2]}-{width}"
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = new_context(browser, base, language, locale, width).new_page()
            portal_login(page, base, "applicant@example.cn", PASSWORD)
            page.locator("main a.button[href$='/portal/apply/']").click()
            _look(page, f"{tag}-form", problems)
            page.fill("#id_uscc", valid_uscc())
            page.fill("#id_name", "戊方移动应用有限公司")
            page.check("#id_roles_0")
            page.select_option("#id_region", "330000")
            page.fill("#id_contact_name", "王五")
            page.fill("#id_contact_phone", "13700000000")
            page.fill("#id_contact_email", "wangwu@wufang.example.cn")
            page.set_input_files("#id_business_licence", str(licence))
            # One form, one save button.
            assert page.locator("main form button[type=submit]").count() == 1
            page.locator("main form button[type=submit]").click()

            # Saved: what is missing is listed, all at once, with the way to add it; no submit yet.
            app = JoinApplication.objects.get()
            expect(page.locator("#missing-documents li")).to_have_count(1)
            expect(page.locator("#missing-documents")).to_contain_text(
                _en(language, "加盖公章的签署页", "Sealed signature page"))
            nav = page.locator("nav.portal-nav")
            expect(nav.locator("a[aria-current=page]")).to_have_attribute("href", f"/portal/applications/{app.pk}/")
            assert nav.locator("a[href='/portal/amendments/']").count() == 0  # not a member: nothing to vote on
            _look(page, f"{tag}-missing", problems)

            page.locator("#next-steps a.button").click()
            page.set_input_files("#id_sealed_page", str(sealed))
            page.locator("main form button[type=submit]").click()
            page.locator("#next-steps button[type=submit]").click()
            expect(page.locator("#next-steps")).to_contain_text(_en(language, "等待执行机构审核", "waiting for"))
            _look(page, f"{tag}-submitted", problems)
        finally:
            browser.close()
    app.refresh_from_db()
    assert app.state == "submitted" and app.documents.filter(superseded=False).count() == 2
    assert problems == [], "\n".join(problems)


@COMBOS
def test_a_representative_votes_with_the_keyboard_in_a_labelled_radio_group(live_server: Any, publisher: Any,
                                                                             language: str, locale: str, width: str):
    from allauth.account.models import EmailAddress

    from convention.amendments.models import Vote

    ensure_version_1()
    (org, rep), *_ = signatories(3)
    EmailAddress.objects.create(user=rep, email=rep.email, verified=True, primary=True)
    ballot = executive_ballot(publisher)
    base, tag = live_server.url, f"vote-{language[:2]}-{width}"
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = new_context(browser, base, language, locale, width).new_page()
            portal_login(page, base, rep.email, PASSWORD)
            page.goto(f"{base}/portal/amendments/ballots/{ballot.pk}/")
            group = page.get_by_role("group", name=re.compile(ballot.proposal.title))
            expect(group.get_by_role("radio")).to_have_count(3)
            _look(page, f"{tag}-form", problems)
            # Keyboard only: focus the group's first choice, choose it with Space, cast with Enter.
            page.locator("#cast").focus()
            page.keyboard.press("Shift+Tab")  # back from the button: the radio group is the stop before it
            assert page.evaluate("document.activeElement.type") == "radio"
            assert focus_is_visible(page)
            # Entering an unchecked group backwards lands on its last choice; the arrow keys move within it
            # (wrapping to the first, "yes") and select as they move.
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            assert page.evaluate("[document.activeElement.value, document.activeElement.checked]") == ["yes", True]
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.id") == "cast"
            page.keyboard.press("Enter")
            expect(page.locator("#my-vote")).to_be_visible()
            expect(page.locator("#vote-next")).to_be_visible()  # what happens next, and where to see it
            _look(page, f"{tag}-cast", problems)
        finally:
            browser.close()
    vote = Vote.objects.get(ballot=ballot)
    assert (vote.organisation_id, vote.choice) == (org.pk, "yes")
    assert problems == [], "\n".join(problems)


def _tab_to(page: Any, selector: str, limit: int = 40) -> list[str]:
    """Press Tab until ``selector`` has the focus; the ids (or tags) of every stop, each with a visible focus."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        assert focus_is_visible(page), f"no visible focus on {stops[-1]}"
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return stops
    raise AssertionError(f"never reached {selector}: {stops}")


def _solved(page: Any) -> None:
    """The site's own ALTCHA widget solves its proof of work by itself on load (nothing to do by hand)."""
    page.wait_for_function(
        "() => (new FormData(document.querySelector('#submit-report').form).get('captcha') || '').length > 20",
        timeout=60000)


@COMBOS
def test_a_report_is_filed_and_followed_with_the_keyboard_alone(live_server: Any, settings: Any,
                                                                language: str, locale: str, width: str):
    from complaints.models import Complaint

    ensure_version_1()  # the form lists the convention's articles
    settings.COMPLAINTS_REPORT_RATE = (50, 3600)
    cache.clear()
    org = make_signatory(OrganisationFactory(name="己方政务科技有限公司"))
    base, tag = live_server.url, f"report-{language[:2]}-{width}"
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = new_context(browser, base, language, locale, width).new_page()
            page.goto(f"{base}/complaints/report/")
            _look(page, f"{tag}-form", problems)
            # The skip link is the first stop; from the content, the fields come in reading order.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip" and focus_is_visible(page)
            page.keyboard.press("Enter")
            stops = _tab_to(page, "#id_member")
            page.keyboard.type(org.uscc)
            stops = _tab_to(page, "#submit-report")
            fields = [s for s in stops if s.startswith("id_")]
            assert fields[:8] == ["id_app_name", "id_app_kind", "id_description", "id_article_number",
                                  "id_evidence", "id_reporter_name", "id_reporter_email", "id_reporter_phone"]
            _solved(page)
            page.keyboard.press("Enter")  # without the description

            # The error is announced (role=alert), focused, and links to its field, which names it.
            summary = page.locator("#error-summary")
            expect(summary).to_be_focused()
            expect(summary).to_have_attribute("role", "alert")
            _look(page, f"{tag}-error", problems)
            assert page.input_value("#id_member") == org.uscc  # everything typed is kept
            _tab_to(page, "#error-summary a[href='#id_description']")
            page.keyboard.press("Enter")
            expect(page.locator("#id_description")).to_be_focused()
            described = page.get_attribute("#id_description", "aria-describedby") or ""
            assert "id_description_error" in described.split()
            expect(page.locator("#id_description_error")).not_to_be_empty()
            page.keyboard.type("该小程序要求每日签到，否则无法办理业务。")
            _tab_to(page, "#submit-report")
            _solved(page)
            page.keyboard.press("Enter")

            code = page.inner_text("#tracking-code").strip()
            expect(page.locator("#next-steps")).to_be_visible()
            _look(page, f"{tag}-filed", problems)
            _tab_to(page, "main a[href$='/complaints/track/']")
            page.keyboard.press("Enter")
            page.wait_for_url(f"{base}/complaints/track/")
            _tab_to(page, "#id_code")
            page.keyboard.type(code)
            page.keyboard.press("Enter")
            expect(page.locator("#complaint-status")).to_contain_text(org.name)
            _look(page, f"{tag}-tracked", problems)
        finally:
            browser.close()
    assert Complaint.objects.get().description == "该小程序要求每日签到，否则无法办理业务。"
    assert problems == [], "\n".join(problems)
