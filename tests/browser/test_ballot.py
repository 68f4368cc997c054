"""Browser journey (Art 24): a representative sponsors a proposal and casts a ballot; the public tally shows it."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect, sync_playwright

from convention.amendments import services
from convention.amendments.models import Proposal, ProposalState, Vote
from members.core import clock
from tests.browser.helpers import launch, screenshot
from tests.convention.amendment_helpers import ensure_version_1, member_proposal, signatories
from tests.helpers import act

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form button[type=submit], form input[type=submit]").last.click()


def test_a_representative_sponsors_a_proposal_and_casts_a_ballot_shown_on_the_public_tally(
        live_server, publisher, settings):
    from allauth.account.models import EmailAddress

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_version_1()
    orgs = signatories(11)  # N = 11 needs two sponsors: the proposer and the representative below
    proposal = member_proposal(orgs[0][1], title="浏览器测试修订提议")
    org_b, rep_b = orgs[1]
    EmailAddress.objects.create(user=rep_b, email=rep_b.email, verified=True, primary=True)

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(locale="zh-CN")
        try:
            _login(page, live_server.url, rep_b.email)
            page.goto(f"{live_server.url}/portal/amendments/")
            page.get_by_role("link", name="浏览器测试修订提议").click()
            page.locator("#sponsor").click()
            expect(page.locator(".messages")).to_contain_text("贵单位已联署该修订提议")
            expect(page.locator("#proposal-state")).to_have_text("已符合提议条件")
            assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.QUALIFIED

            ballot = services.ballot_open(act(publisher), Proposal.objects.get(pk=proposal.pk),
                                          deadline=clock.now() + timedelta(days=7))
            page.goto(f"{live_server.url}/portal/amendments/")
            page.get_by_role("link", name="浏览器测试修订提议").first.click()
            expect(page).to_have_url(re.compile(rf"/portal/amendments/ballots/{ballot.pk}/$"))
            page.get_by_label("同意").check()
            page.locator("#cast").click()
            expect(page.locator("#my-vote")).to_contain_text("同意")
            vote = Vote.objects.get(ballot=ballot)
            assert (vote.organisation_id, vote.choice) == (org_b.pk, "yes")

            page.goto(f"{live_server.url}/convention/ballots/{ballot.pk}/")
            expect(page.locator("#ballot-n")).to_have_text("11")
            expect(page.locator("#ballot-yes")).to_have_text("1")
            expect(page.locator("#ballot-hash")).to_have_text(ballot.electorate_sha256)
            row = page.locator("#named-ballots tr", has_text=org_b.uscc)
            expect(row).to_contain_text("同意")
            screenshot(page, "ballot-public-tally")
        finally:
            browser.close()
