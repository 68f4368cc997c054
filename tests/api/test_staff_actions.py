"""Staff actions on the register through the API: same services, same permissions, one error shape."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from members import services
from members.models import (
    ApplicationEvent,
    ApplicationState,
    MembershipEvent,
    MembershipStatus,
    WithdrawalNotice,
    WithdrawalState,
)
from members.selectors import registry_inconsistencies
from tests.clockwork import at
from tests.factories import OrganisationFactory, UserFactory, make_application, make_signatory
from tests.helpers import for_org, login_staff, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(db):
    app = make_application()
    return services.application_submit(for_org(app.organisation), app)


def test_a_reviewer_takes_an_application_from_submitted_to_approved_by_token(reviewer, submitted):
    api = token_client(reviewer, staff=True)
    base = f"/api/v1/applications/{submitted.pk}"
    assert api.post(f"{base}/start-review/").json()["state"] == ApplicationState.UNDER_REVIEW
    data = api.post(f"{base}/verify-sealed-page/").json()
    assert data["sealed_page_verified"] is True
    data = api.post(f"{base}/approve/", {"comment": "材料齐全"}, format="json").json()
    assert data["state"] == ApplicationState.APPROVED
    submitted.organisation.refresh_from_db()
    assert submitted.organisation.status == MembershipStatus.SIGNATORY
    event = MembershipEvent.objects.get(organisation=submitted.organisation)
    assert event.kind == "joined" and event.actor == reviewer
    actions = list(ApplicationEvent.objects.filter(application=submitted).values_list("action", flat=True))
    assert actions[-3:] == ["start_review", "verify_sealed_page", "approve"]


def test_return_and_reject_need_a_comment_and_say_so_in_the_error_shape(reviewer, submitted):
    api = token_client(reviewer, staff=True)
    base = f"/api/v1/applications/{submitted.pk}"
    api.post(f"{base}/start-review/")
    response = api.post(f"{base}/return/", {"comment": " "}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "comment_required"
    assert "comment" in response.json()["error"]["fields"]
    assert api.post(f"{base}/return/", {"comment": "请补充营业执照"}, format="json").json()["state"] == "returned"


def test_reject(reviewer, submitted):
    api = token_client(reviewer, staff=True)
    api.post(f"/api/v1/applications/{submitted.pk}/start-review/")
    data = api.post(f"/api/v1/applications/{submitted.pk}/reject/", {"comment": "不符合条件"}, format="json").json()
    assert data["state"] == ApplicationState.REJECTED and data["staff_comment"] == "不符合条件"


def test_a_refused_transition_is_a_409_with_a_localised_message(reviewer, submitted):
    api = token_client(reviewer, staff=True)
    response = api.post(f"/api/v1/applications/{submitted.pk}/approve/", {}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "transition_not_allowed" and "已提交" in error["message"]
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_approval_without_a_verified_sealed_page_is_refused(reviewer, submitted):
    api = token_client(reviewer, staff=True)
    api.post(f"/api/v1/applications/{submitted.pk}/start-review/")
    response = api.post(f"/api/v1/applications/{submitted.pk}/approve/", {}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "sealed_page_unverified"


def test_anonymous_callers_get_401_and_users_without_the_permission_403(submitted, complaint_officer):
    url = f"/api/v1/applications/{submitted.pk}/start-review/"
    anonymous = APIClient().post(url)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
    denied = token_client(complaint_officer, staff=True).post(url)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    outsider = token_client(UserFactory(), write=True)
    assert outsider.post(url).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_a_browser_session_works_with_csrf(reviewer, submitted):
    client = APIClient(enforce_csrf_checks=True)
    login_staff(client, reviewer)
    url = f"/api/v1/applications/{submitted.pk}/start-review/"
    assert client.post(url).status_code == 403  # no CSRF token
    client.get("/register/")  # sets the CSRF cookie
    response = client.post(url, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 200


def test_an_unknown_application_is_404(reviewer):
    response = token_client(reviewer, staff=True).post("/api/v1/applications/999999/start-review/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_reviewer_acknowledges_a_withdrawal(reviewer):
    org = make_signatory(OrganisationFactory(), on=date(2024, 1, 1))
    with at(date(2024, 6, 30)):
        notice = services.withdrawal_file(for_org(org), org, reason="业务调整")
        api = token_client(reviewer)
        response = api.post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/", {"effective_date": "2024-06-30"},
                            format="json")
    assert response.status_code == 200 and response.json()["state"] == WithdrawalState.ACKNOWLEDGED
    org.refresh_from_db()
    assert org.status == MembershipStatus.WITHDRAWN and org.left_on == date(2024, 6, 30)
    again = api.post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/", {}, format="json")
    assert again.status_code == 409
    assert WithdrawalNotice.objects.get(pk=notice.pk).effective_date == date(2024, 6, 30)


def test_acknowledging_needs_the_withdrawal_permission(publisher):
    org = make_signatory(OrganisationFactory(), on=date(2024, 1, 1))
    notice = services.withdrawal_file(for_org(org), org)
    assert token_client(publisher, staff=True).post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/").status_code == 403


def test_a_backdated_effective_date_is_refused_with_the_field_in_both_languages(reviewer):
    org = make_signatory(OrganisationFactory(), on=date(2024, 1, 1))
    with at(date(2024, 6, 30)):
        notice = services.withdrawal_file(for_org(org), org)
        api = token_client(reviewer)
        response = api.post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/", {"effective_date": "2024-06-01"},
                            format="json")
        en = api.post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/", {"effective_date": "2024-06-01"},
                      format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json()["error"]["code"] == "withdrawal_backdated"
    assert response.json()["error"]["fields"] == {
        "effective_date": ["退出自通知提交之日（2024-06-30）或之后生效，不能追溯到 2024-06-01。"]}
    assert en.json()["error"]["fields"]["effective_date"][0].startswith("A withdrawal takes effect")
    notice.refresh_from_db()
    org.refresh_from_db()
    assert notice.state == "filed" and org.status == MembershipStatus.SIGNATORY
    assert registry_inconsistencies() == []


def test_a_future_effective_date_is_scheduled(reviewer):
    org = make_signatory(OrganisationFactory(), on=date(2024, 1, 1))
    with at(date(2024, 6, 30)):
        notice = services.withdrawal_file(for_org(org), org)
        response = token_client(reviewer).post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/",
                                               {"effective_date": "2024-09-01"}, format="json")
        org.refresh_from_db()
        assert response.status_code == 200 and org.status == MembershipStatus.SIGNATORY
        assert registry_inconsistencies() == []


def test_error_messages_are_localised(reviewer):
    api = token_client(reviewer, staff=True)
    zh = api.post("/api/v1/applications/999999/start-review/").json()["error"]["message"]
    en = api.post("/api/v1/applications/999999/start-review/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert en["code"] == "not_found" and en["message"] != zh
