"""The holes of issue 15, each with a test that fails if it reopens: no staff power anywhere without
the second factor, for sessions (superusers included) and for API tokens."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from complaints import services as complaint_services
from complaints.models import Complaint, ComplaintState
from members import services
from members.audit.models import AuditEntry
from members.models import ApplicationState, Document, JoinApplication, WithdrawalNotice, WithdrawalState
from members.publications.models import Publication
from tests.factories import OrganisationFactory, make_application, make_signatory
from tests.helpers import act, for_org, token_client

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def email_login(client: Any, user: Any) -> Any:
    """Sign in through the portal's e-mail login (allauth) with the password alone."""
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    return client


@pytest.fixture
def password_only_superuser(client, superuser):
    from tests.helpers import staff_device

    staff_device(superuser)  # it has a device, but did not use it
    return email_login(client, superuser)


def test_a_password_only_superuser_cannot_download_another_companys_documents(password_only_superuser, org_a,
                                                                              rep_a):
    app = make_application(org_a, rep_a)
    for kind in (Document.Kind.SEALED_PAGE, Document.Kind.BUSINESS_LICENCE):
        doc = app.current_document(kind)
        response = password_only_superuser.get(f"/documents/{doc.pk}/")
        assert response.status_code == 404 and not hasattr(response, "streaming_content")


def test_a_password_only_superuser_cannot_publish_a_bulletin_through_the_api(password_only_superuser):
    api = APIClient()
    api.cookies = password_only_superuser.cookies  # the same browser session
    response = api.post("/api/v1/bulletins/publish-now/", {"period": "2025-03"}, format="json")
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_a_password_only_superuser_cannot_move_complaint_cases(password_only_superuser, org_a):
    filed = complaint_services.complaint_file(act(), organisation=make_signatory(org_a), description="强制签到")
    api = APIClient()
    api.cookies = password_only_superuser.cookies
    response = api.post(f"/api/v1/complaints/{filed.complaint.pk}/transitions/", {"action": "start_verification"},
                        format="json")
    assert response.status_code in (403, 404)
    assert Complaint.objects.get(pk=filed.complaint.pk).state == ComplaintState.RECEIVED
    # Nor through the admin: the session is sent to the staff login.
    page = password_only_superuser.get(f"/admin/complaints/complaint/{filed.complaint.pk}/change/")
    assert page.status_code == 302 and page["Location"].startswith("/admin/login/")


def test_a_staff_token_without_a_device_cannot_move_join_applications(reviewer):
    app = services.application_submit(*_submittable())
    api = token_client(reviewer, verified=False)  # this reviewer never enrolled a device
    for action in ("start-review", "verify-sealed-page", "approve"):
        assert api.post(f"/api/v1/applications/{app.pk}/{action}/", {"comment": "x"}, format="json"
                        ).status_code == 403
    assert JoinApplication.objects.get(pk=app.pk).state == ApplicationState.SUBMITTED


def test_a_staff_token_without_a_device_cannot_acknowledge_withdrawals(reviewer):
    org = make_signatory(OrganisationFactory(), on=date(2024, 1, 1))
    notice = services.withdrawal_file(for_org(org), org)
    api = token_client(reviewer, verified=False)
    response = api.post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/", {}, format="json")
    assert response.status_code == 403
    assert WithdrawalNotice.objects.get(pk=notice.pk).state != WithdrawalState.ACKNOWLEDGED
    # The refused write is still on record, with the actor and the token.
    entry = AuditEntry.objects.get(action="token_use")
    assert entry.actor_id == reviewer.pk and entry.token_id is not None and "-> 403" in entry.note


def test_the_same_reviewer_with_a_token_from_a_verified_session_may(reviewer):
    org = make_signatory(OrganisationFactory(), on=date(2024, 1, 1))
    notice = services.withdrawal_file(for_org(org), org)
    response = token_client(reviewer).post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/", {}, format="json")
    assert response.status_code == 200


def test_a_staff_token_made_without_the_second_factor_acts_as_a_plain_user(reviewer, org_a, rep_a):
    doc = make_application(org_a, rep_a).current_document(Document.Kind.SEALED_PAGE)
    api = token_client(reviewer, verified=False)
    response = api.post("/api/v1/bulletins/publish-now/", {"period": "2025-03"}, format="json")
    assert response.status_code == 403 and not Publication.objects.exists()
    # A plain user's reads still work with it.
    assert api.get("/api/v1/organizations/").status_code == 200
    assert api.get("/api/v1/tokens/").status_code == 200
    assert doc.pk  # documents are not served over the API at all


def _submittable():
    """A complete draft and the actor of its applicant (the applicant's own move)."""
    app = make_application()
    return for_org(app.organisation), app
