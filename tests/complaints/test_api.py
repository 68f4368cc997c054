"""The API: same services as the pages, errors in the shape of convention/api_errors.py."""

from __future__ import annotations

from datetime import timedelta

from rest_framework.test import APIClient

from complaints import services
from complaints.models import ComplaintState, CorrectionState, Dispute
from members.core import clock


def test_officers_move_cases_and_others_are_refused(filed, complaint_officer, rep_a):
    api = APIClient()
    url = f"/api/v1/complaints/{filed.complaint.pk}/transitions/"
    anonymous = api.post(url, {"action": "start_verification"}, format="json")
    assert anonymous.status_code in (401, 403) and set(anonymous.json()["error"]) == {"code", "message", "fields"}
    api.force_authenticate(rep_a)
    assert api.post(url, {"action": "start_verification"}, format="json").status_code == 403
    api.force_authenticate(complaint_officer)
    refused = api.post(url, {"action": "substantiate", "text": "x"}, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "transition_not_allowed"
    assert api.post(url, {"action": "start_verification"}, format="json").json()["state"] == "under_verification"
    missing = api.post(url, {"action": "close_unfounded", "text": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    done = api.post(url, {"action": "close_unfounded", "text": "不属实"}, format="json").json()
    assert done["state"] == ComplaintState.UNFOUNDED and done["decision"] == "不属实"


def test_a_representative_answers_its_own_correction_order(filed, complaint_officer, rep_a, rep_b, member_b):
    services.complaint_start_verification(filed.complaint, user=complaint_officer)
    c = services.complaint_substantiate(filed.complaint, user=complaint_officer, finding="属实")
    order = services.correction_order_issue(c, user=complaint_officer, requirement="整改要求API",
                                            deadline=clock.today() + timedelta(days=3))
    api = APIClient()
    api.force_authenticate(rep_b)
    assert api.get("/api/v1/cases/corrections/").json() == []
    other = api.post(f"/api/v1/cases/corrections/{order.pk}/answer/", {"report": "x"}, format="json")
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    api.force_authenticate(rep_a)
    assert "整改要求API" in str(api.get("/api/v1/cases/corrections/").json())
    answered = api.post(f"/api/v1/cases/corrections/{order.pk}/answer/", {"report": "已整改"}, format="json")
    assert answered.status_code == 200 and answered.json()["state"] == CorrectionState.ANSWERED
    again = api.post(f"/api/v1/cases/corrections/{order.pk}/answer/", {"report": "再次"}, format="json")
    assert again.status_code == 409


def test_a_representative_requests_mediation(member_a, member_b, rep_a):
    api = APIClient()
    api.force_authenticate(rep_a)
    response = api.post("/api/v1/cases/disputes/", {"respondent_uscc": member_b.uscc, "subject": "争议",
                                                    "description": "情况"}, format="json")
    assert response.status_code == 201
    assert Dispute.objects.get().respondent == member_b
    self_case = api.post("/api/v1/cases/disputes/", {"respondent_uscc": member_a.uscc, "subject": "s",
                                                     "description": "d"}, format="json")
    assert self_case.status_code == 400 and self_case.json()["error"]["code"] == "same_party"


def test_public_notices_api_is_read_only(client, db):
    assert client.get("/api/v1/notices/").json()["results"] == []
    assert client.post("/api/v1/notices/", {}).status_code == 405
