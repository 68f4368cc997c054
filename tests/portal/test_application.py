"""The application journey through the portal's forms: bad input is refused next to its field."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from members import services
from members.models import (
    ApplicationEvent,
    ApplicationState,
    Document,
    JoinApplication,
    MembershipStatus,
    Organisation,
    Representative,
)
from tests.factories import PNG_BYTES, pdf_bytes, upload, uscc_with_wrong_check_character, valid_uscc
from tests.helpers import act

pytestmark = pytest.mark.django_db

ORG_POST = {
    "name": "丙方信息技术有限公司", "name_en": "Bingfang IT Co., Ltd.", "roles": ["developer", "operator"],
    "region": "310000", "website": "https://bingfang.example.cn", "contact_name": "张三",
    "contact_phone": "13800000000", "contact_email": "zhang@bingfang.example.cn",
}


def _counts() -> tuple[int, ...]:
    return (Organisation.objects.count(), JoinApplication.objects.count(), Document.objects.count(),
            ApplicationEvent.objects.count(), Representative.objects.count())


def _errors_of(html: str, field_id: str) -> str:
    """The text of the field group (label, help, errors, widget) of one field."""
    start = html.index(f'for="{field_id}"')
    return html[start:start + 1500]


def test_invalid_uscc_is_explained_next_to_the_field_and_nothing_is_written(client, newcomer):
    client.force_login(newcomer)
    before = _counts()
    bad = uscc_with_wrong_check_character()
    response = client.post(reverse("portal:apply"), {**ORG_POST, "uscc": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "第18位校验码与前17位不符" in _errors_of(html, "id_uscc")
    assert 'aria-invalid="true"' in html
    # The summary at the top announces the error and links to the field.
    assert 'role="alert"' in html and 'href="#id_uscc"' in html
    response = client.post(reverse("portal:apply"), {**ORG_POST, "uscc": "12345"})
    assert "应为18位，当前为5位" in _errors_of(response.content.decode(), "id_uscc")
    assert _counts() == before


def test_one_save_stores_the_details_and_both_files(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("portal:apply"), {
        **ORG_POST, "uscc": valid_uscc(), "business_licence": upload("licence.png", PNG_BYTES, "image/png"),
        "sealed_page": upload("sealed.pdf")})
    app = JoinApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:application", args=[app.pk])
    assert sorted(app.documents.filter(superseded=False).values_list("kind", flat=True)) == [
        "business_licence", "sealed_page"]
    page = client.get(response["Location"]).content.decode()
    assert "提交申请" in page and 'id="missing-documents"' not in page


def test_a_bad_file_refuses_the_whole_save(client, newcomer, tmp_path):
    client.force_login(newcomer)
    before = _counts()
    response = client.post(reverse("portal:apply"), {
        **ORG_POST, "uscc": valid_uscc(), "business_licence": upload("licence.png", PNG_BYTES, "image/png"),
        "sealed_page": upload("page.pdf", b"<html>x</html>", "application/pdf")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件类型不符" in _errors_of(html, "id_sealed_page") and 'href="#id_sealed_page"' in html
    assert _counts() == before
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_missing_role_and_contact_are_refused(client, newcomer):
    client.force_login(newcomer)
    data = {**ORG_POST, "uscc": valid_uscc(), "roles": [], "contact_email": ""}
    response = client.post(reverse("portal:apply"), data)
    html = response.content.decode()
    assert "该字段是必填项" in _errors_of(html, "id_contact_email")
    assert "该字段是必填项" in html[html.index("<legend") if "<legend" in html else html.index("id_roles"):][:1500]
    assert Organisation.objects.count() == 0


def test_full_journey_with_return_resubmit_approval_and_withdrawal(client, newcomer, reviewer, settings,
                                                                   django_capture_on_commit_callbacks):
    commits = django_capture_on_commit_callbacks
    client.force_login(newcomer)
    code = valid_uscc()
    response = client.post(reverse("portal:apply"), {**ORG_POST, "uscc": f" {code[:6]}-{code[6:]} "})
    app = JoinApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:application", args=[app.pk])
    assert app.organisation.uscc == code and app.organisation.role_list == ["developer", "operator"]
    assert Representative.objects.get(user=newcomer).is_primary

    # A second application by the same account is not offered.
    assert client.get(reverse("portal:apply")).status_code == 302

    # Submitting with no file at all: every missing document is listed at once, nothing moves.
    events = ApplicationEvent.objects.count()
    response = client.post(reverse("portal:application_submit", args=[app.pk]))
    assert response.status_code == 400
    assert "缺少必需文件：营业执照、加盖公章的签署页" in response.content.decode()
    edit_url = reverse("portal:application_edit", args=[app.pk])
    assert client.post(edit_url, {**ORG_POST, "business_licence": upload("licence.png", PNG_BYTES, "image/png")}
                       ).status_code == 302
    response = client.post(reverse("portal:application_submit", args=[app.pk]))
    assert response.status_code == 400
    missing = response.content.decode()
    assert "缺少必需文件：加盖公章的签署页。" in missing
    assert "加盖公章的签署页" in missing[missing.index('id="missing-documents"'):][:300]
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT and ApplicationEvent.objects.count() == events

    # Wrong type (HTML renamed .pdf) and oversized files are refused next to the field; nothing stored.
    docs = Document.objects.count()
    response = client.post(edit_url, {**ORG_POST, "sealed_page": upload("page.pdf", b"<html>x</html>", "application/pdf")})
    assert response.status_code == 400
    assert "文件类型不符" in _errors_of(response.content.decode(), "id_sealed_page")
    settings.UPLOAD_MAX_BYTES = 200
    response = client.post(edit_url, {**ORG_POST, "sealed_page": upload("big.pdf", pdf_bytes() + b" " * 500)})
    assert "文件过大" in _errors_of(response.content.decode(), "id_sealed_page")
    assert Document.objects.count() == docs
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024

    # The pre-filled signature page is a real PDF, in the Chinese font, with the organisation's code.
    response = client.get(reverse("portal:signature_page", args=[app.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert code in text and "丙方信息技术有限公司" in text
    resources: Any = reader.pages[0]["/Resources"]
    fonts = {str(f["/BaseFont"]) for f in resources["/Font"].values()}
    assert any("NotoSansCJK" in f or "Noto-Sans-CJK" in f or "NotoSans" in f for f in fonts), fonts

    assert client.post(edit_url, {**ORG_POST, "sealed_page": upload("sealed.pdf")}).status_code == 302
    mail.outbox.clear()
    with commits(execute=True):
        with_commit = client.post(reverse("portal:application_submit", args=[app.pk]))
    assert with_commit.status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED
    assert [m.to for m in mail.outbox] == [["new@example.org"]] and "入约申请已收到" in mail.outbox[0].subject

    # Double submission: refused with a clear message, no second event, no second e-mail.
    events = ApplicationEvent.objects.count()
    with commits(execute=True):
        response = client.post(reverse("portal:application_submit", args=[app.pk]))
    assert response.status_code == 409 and "不能执行该操作" in response.content.decode()
    assert ApplicationEvent.objects.count() == events and len(mail.outbox) == 1
    # Editing and uploading are closed while staff review.
    assert client.post(edit_url, {**ORG_POST, "sealed_page": upload("x.pdf")}).status_code == 302
    assert Document.objects.filter(application=app).count() == 2

    # Staff return it with a comment; the representative sees it and is e-mailed.
    services.application_start_review(act(reviewer), app)
    with commits(execute=True):
        services.application_return(act(reviewer), app, comment="签署页公章不清晰，请重新扫描。")
    assert "入约申请被退回修改" in mail.outbox[-1].subject
    page = client.get(reverse("portal:application", args=[app.pk])).content.decode()
    assert "签署页公章不清晰" in page and "退回修改" in page

    # Correct and resubmit.
    response = client.post(edit_url, {**ORG_POST, "name": "丙方信息技术股份有限公司",
                                      "sealed_page": upload("sealed-2.pdf", pdf_bytes("v2"))})
    assert response.status_code == 302
    assert client.post(reverse("portal:application_submit", args=[app.pk])).status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.RESUBMITTED and app.organisation.name == "丙方信息技术股份有限公司"
    assert Document.objects.filter(application=app, kind="sealed_page", superseded=False).count() == 1

    # Approved: the dashboard shows the membership, its start date and its history.
    services.application_start_review(act(reviewer), app)
    services.application_verify_sealed_page(act(reviewer), app)
    with commits(execute=True):
        services.application_approve(act(reviewer), app)
    assert "入约申请已批准" in mail.outbox[-1].subject
    org = Organisation.objects.get(pk=app.organisation_id)
    assert org.status == MembershipStatus.SIGNATORY
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "现签署成员" in page and str(org.joined_on) in page and "加入" in page
    for subject in ("入约申请已收到", "入约申请被退回修改", "入约申请已批准"):
        assert subject in page

    # Withdrawal: a confirmation step first, which writes nothing.
    response = client.post(reverse("portal:withdrawal_new"), {"reason": "业务调整"})
    assert response.status_code == 200 and "确认提交退出通知" in response.content.decode()
    assert not org.withdrawals.exists()
    response = client.post(reverse("portal:withdrawal_new"), {"step": "confirm", "reason": "业务调整"})
    assert response.status_code == 400 and not org.withdrawals.exists()
    response = client.post(reverse("portal:withdrawal_new"), {"step": "confirm", "reason": "业务调整",
                                                              "confirm": "on"})
    notice = org.withdrawals.get()
    assert response["Location"] == reverse("portal:withdrawal", args=[notice.pk])
    # Filing twice leads to the pending notice.
    assert client.post(reverse("portal:withdrawal_new"), {"step": "confirm", "confirm": "on"})["Location"] == \
        reverse("portal:withdrawal", args=[notice.pk])
    assert org.withdrawals.count() == 1

    with commits(execute=True):
        services.withdrawal_acknowledge(act(reviewer), notice)
    assert "退出通知已确认" in mail.outbox[-1].subject and mail.outbox[-1].to == ["new@example.org"]
    page = client.get(reverse("portal:withdrawal", args=[notice.pk])).content.decode()
    assert str(notice.pk) and "业务调整" in page
    assert "已确认" in page
    assert "已退出" in client.get(reverse("portal:dashboard")).content.decode()


def test_rejection_is_e_mailed_and_shown(client_a, org_a, rep_a, reviewer, django_capture_on_commit_callbacks):
    from tests.factories import make_application

    app = make_application(org_a, rep_a)
    services.application_submit(act(rep_a), app)
    services.application_start_review(act(reviewer), app)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(act(reviewer), app, comment="非本行业单位")
    assert [m.subject for m in mail.outbox] == ["[公约成员登记] 入约申请未获批准"]
    assert mail.outbox[0].to == ["rep-a@example.org"]
    page = client_a.get(reverse("portal:application", args=[app.pk])).content.decode()
    assert "非本行业单位" in page


def test_withdrawal_letter_of_wrong_type_is_refused_and_nothing_filed(client_a, org_a):
    from tests.factories import make_signatory

    make_signatory(org_a)
    response = client_a.post(reverse("portal:withdrawal_new"), {
        "step": "confirm", "confirm": "on", "letter": upload("letter.pdf", b"GIF89a not a pdf", "application/pdf"),
    })
    assert response.status_code == 400
    assert "文件类型不符" in _errors_of(response.content.decode(), "id_letter")
    assert not org_a.withdrawals.exists() and not Document.objects.exists()


def test_withdrawal_date_before_joining_is_refused(client_a, org_a):
    from tests.factories import make_signatory

    make_signatory(org_a)
    response = client_a.post(reverse("portal:withdrawal_new"), {"requested_date": "2020-01-01"})
    assert "不能早于加入日期" in _errors_of(response.content.decode(), "id_requested_date")


def test_pages_say_where_you_are(client_a, org_a, rep_a):
    from tests.factories import make_application

    app = make_application(org_a, rep_a)
    for name, args, title in [
        ("portal:dashboard", [], "单位工作台"), ("portal:application", [app.pk], "入约申请"),
        ("portal:team", [], "单位代表"), ("portal:feedback", [], "意见建议"),
        ("portal:notifications", [], "通知"),
    ]:
        html = client_a.get(reverse(name, args=args)).content.decode()
        assert f"<title>{title}" in html, name


def test_english_switch(client_a):
    response = client_a.post(reverse("set_language"), {"language": "en", "next": reverse("portal:dashboard")})
    assert response.status_code == 302
    html = client_a.get(reverse("portal:dashboard")).content.decode()
    assert '<html lang="en">' in html
    assert 'lang="en"' in client_a.get(reverse("account_change_password")).content.decode()


def test_withdrawal_can_be_taken_back_before_acknowledgement(client_a, org_a, rep_a):
    from tests.factories import make_signatory

    make_signatory(org_a)
    notice = services.withdrawal_file(act(rep_a), org_a)
    response = client_a.post(reverse("portal:withdrawal_cancel", args=[notice.pk]), follow=True)
    assert "退出通知已撤回" in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == "cancelled"
    assert Organisation.objects.get(pk=org_a.pk).status == MembershipStatus.SIGNATORY


def test_a_save_refused_by_the_service_leaves_no_rows_and_no_stored_file(newcomer, tmp_path):
    """The form checks files first; if the service still refuses one (say a race), the licence it had
    already stored is deleted with the rolled-back rows."""
    from members.core.errors import DomainError
    from members.portal.services import application_save

    before = _counts()
    files = {"business_licence": upload("licence.png", PNG_BYTES, "image/png"),
             "sealed_page": upload("page.pdf", b"<html>x</html>", "application/pdf")}
    data = dict(ORG_POST)
    with pytest.raises(DomainError) as exc:
        application_save(act(newcomer), None, uscc=valid_uscc(), data=data, files=files)
    assert exc.value.field == "sealed_page"
    assert _counts() == before
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
