"""The representatives' API: same services and rules as the HTML portal, token auth, organisation scoping,
errors in the shared shape."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from rest_framework.test import APIClient

from members import services
from members.models import (
    Document,
    Feedback,
    Invitation,
    JoinApplication,
    Organisation,
    Representative,
    WithdrawalEvent,
    WithdrawalNotice,
    WithdrawalState,
)
from tests.factories import PNG_BYTES, make_representative, make_signatory, upload, valid_uscc
from tests.helpers import act, assert_error, for_org, token_client

pytestmark = [pytest.mark.django_db]
API = "/api/v1/portal"
ORG = {"name": "戊方云计算有限公司", "roles": ["operator"], "region": "330000", "contact_name": "王五",
       "contact_phone": "13700000000", "contact_email": "wangwu@wufang.example.cn"}


@pytest.fixture
def api(newcomer):
    client = APIClient()
    client.force_authenticate(newcomer)
    return client


def test_apply_upload_submit(api, newcomer, django_capture_on_commit_callbacks):
    response = api.post(f"{API}/applications/", {**ORG, "uscc": "91110108000000019X"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "uscc_invalid" and "uscc" in error["fields"]
    assert not Organisation.objects.exists()

    response = api.post(f"{API}/applications/", {**ORG, "uscc": valid_uscc()}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["organisation"]["roles"] == ["operator"]

    response = api.post(f"{API}/applications/{pk}/submit/")
    assert response.status_code == 400 and response.json()["error"]["code"] == "documents_missing"

    bad = api.post(f"{API}/applications/{pk}/documents/",
                   {"kind": "sealed_page", "file": upload("x.pdf", b"<html></html>")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "file_type"
    assert not Document.objects.exists()
    for kind, file in [("business_licence", upload("l.png", PNG_BYTES, "image/png")), ("sealed_page", upload())]:
        assert api.post(f"{API}/applications/{pk}/documents/", {"kind": kind, "file": file},
                        format="multipart").status_code == 201
    response = api.patch(f"{API}/applications/{pk}/", {"name": "戊方云计算股份有限公司"}, format="json")
    assert response.status_code == 200 and response.json()["organisation"]["name"] == "戊方云计算股份有限公司"

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{API}/applications/{pk}/submit/")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    again = api.post(f"{API}/applications/{pk}/submit/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "transition_not_allowed"


def test_other_organisation_is_404_and_untouched(rep_a, app_b, org_b):
    client = APIClient()
    client.force_authenticate(rep_a)
    make_signatory(org_b)
    notice = services.withdrawal_file(for_org(org_b), org_b)
    for method, url, data in [
        ("get", f"{API}/applications/{app_b.pk}/", None),
        ("patch", f"{API}/applications/{app_b.pk}/", {"name": "篡改"}),
        ("post", f"{API}/applications/{app_b.pk}/submit/", None),
        ("get", f"{API}/withdrawals/{notice.pk}/", None),
    ]:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    upload_response = client.post(f"{API}/applications/{app_b.pk}/documents/",
                                  {"kind": "sealed_page", "file": upload()}, format="multipart")
    assert upload_response.status_code == 404
    assert JoinApplication.objects.get(pk=app_b.pk).state == "draft"
    assert app_b.documents.count() == 2
    assert client.get(f"{API}/applications/").json() == []
    assert client.get(f"{API}/notifications/").json() == []


def test_withdraw_invite_feedback(rep_a, org_a, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(rep_a)
    assert client.post(f"{API}/withdrawals/", {}, format="json").json()["error"]["code"] == "not_signatory"
    make_signatory(org_a)
    response = client.post(f"{API}/withdrawals/", {"reason": "调整"}, format="json")
    assert response.status_code == 201 and WithdrawalNotice.objects.get().state == "filed"
    assert client.post(f"{API}/withdrawals/", {}, format="json").status_code == 409

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/invitations/", {"email": "colleague@example.org"}, format="json")
    assert response.status_code == 201 and mail.outbox[-1].to == ["colleague@example.org"]
    inv = Invitation.objects.get()
    assert client.post(f"{API}/invitations/{inv.pk}/revoke/").json()["revoked_at"]

    assert client.post(f"{API}/feedback/", {"subject": "建议", "body": "内容"}, format="json").status_code == 201
    assert Feedback.objects.get().organisation == org_a
    assert client.post(f"{API}/feedback/", {"subject": "", "body": ""}, format="json").status_code == 400


def test_anonymous_is_refused():
    response = APIClient().post(f"{API}/applications/", ORG, format="json")
    assert response.status_code in (401, 403) and "error" in response.json()




def test_without_a_token_the_endpoints_refuse(org_a, rep_a):
    for url in (f"{API}/representatives/", f"{API}/applications/reapply/"):
        response = APIClient().post(url) if url.endswith("reapply/") else APIClient().get(url)
        assert response.status_code in (401, 403)
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_representative_cancels_a_pending_withdrawal_notice(org_a, rep_a, org_b, rep_b, reviewer):
    make_signatory(org_a, on=date(2025, 1, 10))
    make_signatory(org_b, on=date(2025, 1, 10))
    notice = services.withdrawal_file(act(rep_a), org_a, reason="业务调整")
    other = services.withdrawal_file(act(rep_b), org_b)
    api = token_client(rep_a, write=True)
    assert_error(api.post(f"{API}/withdrawals/{other.pk}/cancel/"), 404, "not_found")
    other.refresh_from_db()
    assert other.state == WithdrawalState.FILED

    response = api.post(f"{API}/withdrawals/{notice.pk}/cancel/")
    assert response.status_code == 200 and response.json()["state"] == WithdrawalState.CANCELLED
    notice.refresh_from_db()
    assert notice.state == WithdrawalState.CANCELLED
    assert WithdrawalEvent.objects.filter(withdrawal=notice, action="cancel", actor=rep_a).exists()
    assert_error(api.post(f"{API}/withdrawals/{notice.pk}/cancel/"), 409, "transition_not_allowed")

    services.withdrawal_acknowledge(act(reviewer), other)
    acknowledged = other
    assert_error(token_client(rep_b, write=True).post(f"{API}/withdrawals/{acknowledged.pk}/cancel/"), 409)


def test_a_representative_removes_a_colleague_but_not_the_last_one(org_a, rep_a, org_b, rep_b):
    colleague = make_representative(org_a, "colleague@example.org")
    api = token_client(rep_a, write=True)
    listed = api.get(f"{API}/representatives/").json()
    assert {r["email"] for r in listed} == {rep_a.email, colleague.email}
    assert rep_b.email not in str(listed)

    foreign = Representative.objects.get(user=rep_b)
    assert_error(api.post(f"{API}/representatives/{foreign.pk}/remove/"), 404, "not_found")
    assert Representative.objects.filter(pk=foreign.pk).exists()
    own = Representative.objects.get(user=rep_a)
    error = assert_error(api.post(f"{API}/representatives/{own.pk}/remove/"), 400, "cannot_remove_self")
    assert error["message"]

    mine = Representative.objects.get(user=colleague)
    assert api.post(f"{API}/representatives/{mine.pk}/remove/").status_code == 204
    assert not Representative.objects.filter(pk=mine.pk).exists()
    assert [r["email"] for r in api.get(f"{API}/representatives/").json()] == [rep_a.email]


def test_a_former_member_reapplies_through_the_api(org_a, rep_a, reviewer):
    api = token_client(rep_a, write=True)
    make_signatory(org_a, on=date(2025, 1, 10))
    assert_error(api.post(f"{API}/applications/reapply/"), 409, "already_signatory")
    assert not JoinApplication.objects.filter(organisation=org_a).exists()
    services.withdrawal_acknowledge(act(reviewer), services.withdrawal_file(act(rep_a), org_a))

    response = api.post(f"{API}/applications/reapply/")
    assert response.status_code == 201
    app = JoinApplication.objects.get(organisation=org_a)
    assert response.json()["id"] == app.pk and response.json()["state"] == "draft"
    api.post(f"{API}/applications/reapply/")
    assert JoinApplication.objects.filter(organisation=org_a).count() == 1


def test_an_account_without_organisation_cannot_reapply(newcomer):
    assert_error(token_client(newcomer, write=True).post(f"{API}/applications/reapply/"), 404)


def test_notifications_are_read_only_within_the_organisation(org_a, rep_a, org_b, rep_b):
    mine = services.notify(org_a, "test", "甲方通知", "甲方正文")
    theirs = services.notify(org_b, "test", "乙方通知", "乙方正文")
    api = token_client(rep_a, write=True)
    response = api.get(f"{API}/notifications/{mine.pk}/")
    assert response.status_code == 200 and response.json()["body"] == "甲方正文"
    assert_error(api.get(f"{API}/notifications/{theirs.pk}/"), 404, "not_found")
    assert "乙方通知" not in api.get(f"{API}/notifications/").content.decode()
