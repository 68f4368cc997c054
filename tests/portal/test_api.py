"""The representatives' API: same services and rules as the HTML portal, errors in the shared shape."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from members import services
from members.models import Document, Feedback, Invitation, JoinApplication, Organisation, WithdrawalNotice
from tests.factories import PNG_BYTES, make_signatory, upload, valid_uscc
from tests.helpers import for_org

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
