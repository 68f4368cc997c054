"""The member portal in a real browser: sign up, apply, be returned, resubmit, be approved, withdraw.

Playwright drives Debian's Chromium against the live server. The staff side happens in the admin when
the reviewer works in the admin (its review actions and the acknowledge action).
Screenshots of the main pages at phone and desktop widths go to test-artifacts/screenshots.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect, sync_playwright

from members.models import JoinApplication, MembershipStatus, Organisation, WithdrawalNotice
from tests.browser.helpers import admin_login, launch, screenshot
from tests.factories import PNG_BYTES, pdf_bytes, valid_uscc

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
EMAIL = "daibiao@dingfang.example.cn"
PASSWORD = "Ding-fang-2026-qianshu"


def shoot(page: Any, name: str) -> None:
    """The current page at phone and desktop widths."""
    page.set_viewport_size(PHONE)
    screenshot(page, f"portal-{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"portal-{name}-desktop")


def _link(body: object) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", str(body))
    assert match is not None, body
    return match.group(1)


class StaffSide:
    """What the reviewer does, through the admin's own pages (members/admin.py on main)."""

    def __init__(self, browser: Any, base: str, user: Any) -> None:
        self.base = base
        self.page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
        admin_login(self.page, base, user.username, "correct-horse-battery")
        expect(self.page.locator("#site-name")).to_be_visible()

    def _open(self, app: JoinApplication) -> None:
        self.page.goto(f"{self.base}/admin/members/joinapplication/{app.pk}/change/")

    def _press(self, label: str, done: str) -> None:
        self.page.locator(".object-tools").get_by_role("button", name=label).click()
        expect(self.page.locator(".messagelist")).to_contain_text(done)

    def return_(self, app: JoinApplication, comment: str) -> None:
        self._open(app)
        self._press("开始审核", "已开始审核")
        self.page.locator(".object-tools").get_by_role("link", name="退回修改").click()
        self.page.fill("#id_comment", comment)
        self.page.locator("input[type=submit]").click()
        expect(self.page.locator(".messagelist")).to_contain_text("已退回申请人修改")

    def approve(self, app: JoinApplication) -> None:
        self._open(app)
        self._press("开始审核", "已开始审核")
        self.page.locator(".object-tools").get_by_role("button", name="核验签署页").click()
        expect(self.page.locator(".doc-preview img").first).to_be_visible()  # looked at before verifying
        self.page.click("#confirm-verify")
        expect(self.page.locator(".messagelist")).to_contain_text("签署页已核验")
        self._press("批准", "已批准")

    def acknowledge(self, notice: WithdrawalNotice) -> None:
        self.page.goto(f"{self.base}/admin/members/withdrawalnotice/")
        self.page.check(f"input.action-select[value='{notice.pk}']")
        self.page.select_option("select[name=action]", "acknowledge")
        self.page.locator("button[name=index]").click()
        expect(self.page.locator(".messagelist")).to_contain_text("退出已确认")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, data in [("licence.png", PNG_BYTES), ("sealed.pdf", pdf_bytes("sealed")),
                       ("sealed-rescan.pdf", pdf_bytes("rescan")), ("fake.pdf", b"<html><body>x</body></html>")]:
        (tmp_path / name).write_bytes(data)
        out[name] = tmp_path / name
    return out


def test_whole_journey(live_server: Any, reviewer: Any, files: dict[str, Path]) -> None:
    base = live_server.url
    code = valid_uscc()
    with sync_playwright() as pw:
        browser = launch(pw)
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        staff = StaffSide(browser, base, reviewer)

        # Sign up and confirm the e-mail address from the outbox.
        page.goto(f"{base}/accounts/signup/")
        shoot(page, "signup")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert mail.outbox and mail.outbox[-1].to == [EMAIL]
        page.goto(base + _link(mail.outbox[-1].body))
        shoot(page, "confirm-email")
        page.locator("main form button[type=submit]").click()

        # Log in: the dashboard offers to start an application.
        page.goto(f"{base}/accounts/login/")
        shoot(page, "login")
        page.fill("input[name=login]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/portal/$"))
        shoot(page, "start")
        page.get_by_role("link", name="开始入约申请").click()

        # The organisation: one form, one save. A wrong code is announced at the top (focused, linked to
        # the field) and explained next to the field; nothing is written; then it is corrected.
        page.fill("#id_uscc", code[:17] + ("0" if code[17] != "0" else "1"))
        page.fill("#id_name", "丁方数据服务有限公司")
        page.check("input[name=roles][value=developer]")
        page.check("input[name=roles][value=distributor]")
        page.select_option("#id_region", "440000")
        page.fill("#id_contact_name", "李四")
        page.fill("#id_contact_phone", "13900000000")
        page.fill("#id_contact_email", "lisi@dingfang.example.cn")
        page.set_input_files("#id_business_licence", str(files["licence.png"]))
        assert page.get_by_role("button", name="检查填写").count() == 0
        page.get_by_role("button", name="保存").click()
        expect(page.locator("#id_uscc_error")).to_contain_text("第18位校验码与前17位不符")
        expect(page.locator("#error-summary")).to_be_focused()
        expect(page).to_have_title(re.compile("入约申请"))
        shoot(page, "apply-error")
        assert not Organisation.objects.exists()
        page.locator("#error-summary a[href='#id_uscc']").click()
        expect(page.locator("#id_uscc")).to_be_focused()
        page.fill("#id_uscc", code)
        page.set_input_files("#id_business_licence", str(files["licence.png"]))  # a refused form keeps no file
        page.get_by_role("button", name="保存").click()
        expect(page.locator("h1")).to_contain_text("入约申请")
        app = JoinApplication.objects.get()
        # What is still missing is listed, with the way to add it.
        expect(page.locator("#missing-documents")).to_have_text("加盖公章的签署页")
        assert page.get_by_role("button", name="提交申请").count() == 0

        # The same one form for the files: a renamed web page is refused; then the sealed page is accepted.
        page.get_by_role("link", name="修改申请，上传文件").click()
        page.set_input_files("#id_sealed_page", str(files["fake.pdf"]))
        page.get_by_role("button", name="保存").click()
        expect(page.locator("#id_sealed_page_error")).to_contain_text("文件类型不符")
        shoot(page, "upload-error")
        with page.expect_download() as dl:
            page.get_by_role("link", name="下载预填的签署页（PDF）").click()
        assert Path(dl.value.path()).read_bytes().startswith(b"%PDF")
        page.set_input_files("#id_sealed_page", str(files["sealed.pdf"]))
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("link", name="sealed.pdf")).to_be_visible()
        shoot(page, "application-draft")
        page.get_by_role("button", name="提交申请").click()
        expect(page.locator(".badge").first).to_have_text("已提交")
        expect(page.locator("#next-steps")).to_contain_text("等待执行机构审核")
        assert any("入约申请已收到" in m.subject for m in mail.outbox)

        # Returned with a comment: the representative sees it, rescans and resubmits.
        staff.return_(app, "签署页公章不清晰，请重新扫描上传。")
        page.reload()
        expect(page.get_by_text("签署页公章不清晰，请重新扫描上传。")).to_be_visible()
        shoot(page, "application-returned")
        page.get_by_role("link", name="修改单位信息或更换文件").click()
        page.set_input_files("#id_sealed_page", str(files["sealed-rescan.pdf"]))
        page.get_by_role("button", name="保存").click()
        page.get_by_role("button", name="重新提交申请").click()
        expect(page.locator(".badge").first).to_have_text("已重新提交")

        # Approved: the dashboard shows the membership, its start date and history, and the notifications.
        staff.approve(app)
        org = Organisation.objects.get()
        assert org.status == MembershipStatus.SIGNATORY and org.joined_on is not None
        page.goto(f"{base}/portal/")
        expect(page.locator("main")).to_contain_text(org.joined_on.isoformat())
        expect(page.locator("main")).to_contain_text("现签署成员")
        expect(page.locator("main")).to_contain_text("入约申请已批准")
        shoot(page, "dashboard-member")

        # Withdrawal, with a confirmation step, followed until acknowledged.
        page.get_by_role("link", name="提交退出通知").click()
        page.fill("#id_reason", "业务调整")
        shoot(page, "withdrawal-form")
        page.get_by_role("button", name="下一步：确认").click()
        shoot(page, "withdrawal-confirm")
        assert not WithdrawalNotice.objects.exists()
        page.check("#id_confirm")
        page.get_by_role("button", name="确认提交退出通知").click()
        expect(page.locator(".badge").first).to_have_text("已提交")
        expect(page.locator("#next-steps")).to_contain_text("确认前可以撤回")
        notice = WithdrawalNotice.objects.get()
        staff.acknowledge(notice)
        page.reload()
        expect(page.locator(".badge").first).to_have_text("已确认")
        shoot(page, "withdrawal-acknowledged")
        page.goto(f"{base}/portal/notifications/")
        expect(page.locator("main")).to_contain_text("退出通知已确认")
        shoot(page, "notifications")
        assert any("退出通知已确认" in m.subject and m.to == [EMAIL] for m in mail.outbox)

        page.goto(f"{base}/portal/feedback/")
        shoot(page, "feedback")
        browser.close()
    org.refresh_from_db()
    assert org.status == MembershipStatus.WITHDRAWN
