"""The API: same services as the pages, one URL per action, errors in the shape of members/core/api_errors.py."""

from __future__ import annotations

from datetime import timedelta

from rest_framework.test import APIClient

from complaints import services
from complaints.models import (
    ComplaintEvent,
    ComplaintState,
    CorrectionOrder,
    CorrectionState,
    Dispute,
    DisputeState,
    InternalNotice,
)
from members.core import clock
from tests.complaints.conftest import new_org
from tests.factories import make_representative, make_signatory
from tests.helpers import act, assert_error, token_client


def test_officers_move_cases_and_others_are_refused(filed, complaint_officer, rep_a):
    base = f"/api/v1/complaints/{filed.complaint.pk}"
    anonymous = APIClient().post(f"{base}/start-verification/")
    assert anonymous.status_code in (401, 403) and set(anonymous.json()["error"]) == {"code", "message", "fields"}
    assert token_client(rep_a, write=True).post(f"{base}/start-verification/").status_code == 403
    officer = token_client(complaint_officer, staff=True)
    refused = officer.post(f"{base}/substantiate/", {"finding": "x"}, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "transition_not_allowed"
    assert officer.post(f"{base}/start-verification/").json()["state"] == "under_verification"
    missing = officer.post(f"{base}/close-unfounded/", {"reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    done = officer.post(f"{base}/close-unfounded/", {"reason": "不属实"}, format="json").json()
    assert done["state"] == ComplaintState.UNFOUNDED and done["decision"] == "不属实"


def test_a_representative_answers_its_own_correction_order(filed, complaint_officer, rep_a, rep_b, member_b):
    services.complaint_start_verification(act(complaint_officer), filed.complaint)
    c = services.complaint_substantiate(act(complaint_officer), filed.complaint, finding="属实")
    order = services.correction_order_issue(act(complaint_officer), c, requirement="整改要求API",
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


def test_both_parties_follow_a_dispute_and_a_third_member_does_not(member_a, member_b, rep_a, rep_b,
                                                                   complaint_officer):
    api_a = token_client(rep_a, write=True)
    bad = api_a.post("/api/v1/cases/disputes/", {"respondent_uscc": member_b.uscc, "subject": ""}, format="json")
    error = assert_error(bad, 400, "invalid")
    assert {"subject", "description"} <= set(error["fields"]) and error["message"]
    created = api_a.post("/api/v1/cases/disputes/", {"respondent_uscc": member_b.uscc, "subject": "接口费用争议",
                                                      "description": "对方未按约定结算。"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    services.dispute_start_mediation(act(complaint_officer), Dispute.objects.get(pk=pk), comment="已受理")
    services.dispute_record_step(act(complaint_officer), Dispute.objects.get(pk=pk), step="电话会议STEP1")
    for rep in (rep_a, rep_b):
        api = token_client(rep, write=True)
        assert [d["id"] for d in api.get("/api/v1/cases/disputes/").json()] == [pk]
        detail = api.get(f"/api/v1/cases/disputes/{pk}/").json()
        assert detail["state"] == DisputeState.IN_MEDIATION and detail["requester_name"] == member_a.name
        assert "STEP1" in str(detail["events"])
    third = make_representative(make_signatory(new_org()), "third@example.org")
    api_c = token_client(third, write=True)
    assert api_c.get("/api/v1/cases/disputes/").json() == []
    assert_error(api_c.get(f"/api/v1/cases/disputes/{pk}/"), 404, "not_found")
    assert_error(api_c.post(f"/api/v1/cases/disputes/{pk}/withdraw/", {}, format="json"), 404, "not_found")


def test_only_the_requester_withdraws(member_a, member_b, rep_a, rep_b):
    dispute = services.dispute_request(act(rep_a), respondent=member_b, subject="事项", description="情况")
    url = f"/api/v1/cases/disputes/{dispute.pk}/withdraw/"
    assert_error(token_client(rep_b, write=True).post(url, {}, format="json"), 403, "permission_denied")
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.REQUESTED
    response = token_client(rep_a, write=True).post(url, {"reason": "已协商解决"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == DisputeState.WITHDRAWN
    dispute.refresh_from_db()
    assert dispute.outcome == "已协商解决" and dispute.events.filter(action="withdraw").exists()


def test_officers_mediate_and_others_are_refused(member_a, member_b, rep_a, complaint_officer, reviewer):
    dispute = services.dispute_request(act(rep_a), respondent=member_b, subject="事项", description="情况")
    base = f"/api/v1/disputes/{dispute.pk}"
    assert_error(APIClient().post(f"{base}/start-mediation/", {}, format="json"), 401)
    assert_error(token_client(rep_a, write=True).post(f"{base}/start-mediation/", {}, format="json"), 403)
    assert_error(token_client(reviewer, staff=True).post(f"{base}/start-mediation/", {}, format="json"), 403)
    officer = token_client(complaint_officer, staff=True)
    assert_error(officer.post(f"{base}/steps/", {"step": "x"}, format="json"), 409, "transition_not_allowed")
    assert officer.post(f"{base}/start-mediation/", {}, format="json").json()["state"] == DisputeState.IN_MEDIATION
    empty = assert_error(officer.post(f"{base}/steps/", {"step": ""}, format="json"), 400)
    assert "step" in empty["fields"]
    assert officer.post(f"{base}/steps/", {"step": "双方面谈"}, format="json").status_code == 200
    assert "outcome" in assert_error(officer.post(f"{base}/settle/", {}, format="json"), 400)["fields"]
    done = officer.post(f"{base}/not-settle/", {"outcome": "未能达成一致"}, format="json").json()
    assert done["state"] == DisputeState.NOT_SETTLED and done["outcome"] == "未能达成一致"
    dispute.refresh_from_db()
    assert dispute.mediator == complaint_officer
    assert [e.action for e in dispute.events.order_by("id")] == ["request", "start_mediation", "step", "not_settle"]
    assert member_a.notifications.filter(kind="mediation_not_settle").exists()
    assert_error(officer.post("/api/v1/disputes/999999/settle/", {"outcome": "x"}, format="json"), 404)


def test_officers_take_measures_on_a_substantiated_case(filed, complaint_officer, reviewer, rep_a):
    base = f"/api/v1/complaints/{filed.complaint.pk}"
    order_input = {"requirement": "限期整改", "deadline": str(clock.today() + timedelta(days=5))}
    assert_error(token_client(rep_a, write=True).post(f"{base}/correction-orders/", order_input, format="json"), 403)
    assert_error(token_client(reviewer, staff=True).post(f"{base}/correction-orders/", order_input, format="json"),
                 403)
    officer = token_client(complaint_officer, staff=True)
    assert_error(officer.post(f"{base}/correction-orders/", order_input, format="json"), 409)  # not substantiated
    assert officer.post(f"{base}/notes/", {"note": "内部备注N1"}, format="json").status_code == 201
    assert ComplaintEvent.objects.filter(complaint=filed.complaint, action="note", comment="内部备注N1").exists()
    assert officer.post(f"{base}/assign/", {"assignee_id": complaint_officer.pk}, format="json").status_code == 200
    filed.complaint.refresh_from_db()
    assert filed.complaint.assigned_to == complaint_officer
    assert_error(officer.post(f"{base}/assign/", {"assignee_id": rep_a.pk}, format="json"), 400,
                 "assignee_not_staff")

    services.complaint_start_verification(act(complaint_officer), filed.complaint)
    services.complaint_substantiate(act(complaint_officer), filed.complaint, finding="属实")
    missing = assert_error(officer.post(f"{base}/correction-orders/", {"requirement": "x"}, format="json"), 400)
    assert "deadline" in missing["fields"]
    issued = officer.post(f"{base}/correction-orders/", order_input, format="json")
    assert issued.status_code == 201
    order = CorrectionOrder.objects.get(pk=issued.json()["id"])
    assert order.requirement == "限期整改" and order.state == CorrectionState.ISSUED
    notice = officer.post(f"{base}/internal-notices/", {"title": "通报", "body": "内容"}, format="json")
    assert InternalNotice.objects.get(pk=notice.json()["id"]).organisation == filed.complaint.organisation

    accept = f"/api/v1/corrections/{order.pk}/accept/"
    assert_error(token_client(reviewer, staff=True).post(accept, {}, format="json"), 403)
    assert_error(officer.post(accept, {}, format="json"), 409)  # not answered yet
    services.correction_answer(act(rep_a), order, report="已整改")
    accepted = officer.post(accept, {"comment": "认可"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == CorrectionState.ACCEPTED

    revoke = officer.post(f"{base}/revoke-membership/", {"reason": "拒不整改", "public_notice": "取消成员资格"},
                          format="json")
    assert revoke.status_code == 200
    filed.complaint.refresh_from_db()
    filed.complaint.organisation.refresh_from_db()
    assert filed.complaint.revocation_event is not None
    assert filed.complaint.organisation.status == "revoked"
