"""Disputes and officers' measures over the API: same services and permissions as the portal and the admin."""

from __future__ import annotations

from datetime import timedelta

from rest_framework.test import APIClient

from complaints import services
from complaints.models import (
    ComplaintEvent,
    CorrectionOrder,
    CorrectionState,
    Dispute,
    DisputeState,
    InternalNotice,
)
from members.core import clock
from tests.complaints.conftest import new_org
from tests.factories import make_representative, make_signatory
from tests.helpers import assert_error, token_client


def staff_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_both_parties_follow_a_dispute_and_a_third_member_does_not(member_a, member_b, rep_a, rep_b,
                                                                   complaint_officer):
    api_a = token_client(rep_a)
    bad = api_a.post("/api/v1/cases/disputes/", {"respondent_uscc": member_b.uscc, "subject": ""}, format="json")
    error = assert_error(bad, 400, "invalid")
    assert {"subject", "description"} <= set(error["fields"]) and error["message"]
    created = api_a.post("/api/v1/cases/disputes/", {"respondent_uscc": member_b.uscc, "subject": "接口费用争议",
                                                      "description": "对方未按约定结算。"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    services.dispute_start_mediation(Dispute.objects.get(pk=pk), user=complaint_officer, comment="已受理")
    services.dispute_record_step(Dispute.objects.get(pk=pk), user=complaint_officer, step="电话会议STEP1")
    for rep in (rep_a, rep_b):
        api = token_client(rep)
        assert [d["id"] for d in api.get("/api/v1/cases/disputes/").json()] == [pk]
        detail = api.get(f"/api/v1/cases/disputes/{pk}/").json()
        assert detail["state"] == DisputeState.IN_MEDIATION and detail["requester_name"] == member_a.name
        assert "STEP1" in str(detail["events"])
    third = make_representative(make_signatory(new_org()), "third@example.org")
    api_c = token_client(third)
    assert api_c.get("/api/v1/cases/disputes/").json() == []
    assert_error(api_c.get(f"/api/v1/cases/disputes/{pk}/"), 404, "not_found")
    assert_error(api_c.post(f"/api/v1/cases/disputes/{pk}/withdraw/", {}, format="json"), 404, "not_found")


def test_only_the_requester_withdraws(member_a, member_b, rep_a, rep_b):
    dispute = services.dispute_request(user=rep_a, respondent=member_b, subject="事项", description="情况")
    url = f"/api/v1/cases/disputes/{dispute.pk}/withdraw/"
    assert_error(token_client(rep_b).post(url, {}, format="json"), 403, "permission_denied")
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.REQUESTED
    response = token_client(rep_a).post(url, {"reason": "已协商解决"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == DisputeState.WITHDRAWN
    dispute.refresh_from_db()
    assert dispute.outcome == "已协商解决" and dispute.events.filter(action="withdraw").exists()


def test_officers_mediate_and_others_are_refused(member_a, member_b, rep_a, complaint_officer, reviewer):
    dispute = services.dispute_request(user=rep_a, respondent=member_b, subject="事项", description="情况")
    url = f"/api/v1/disputes/{dispute.pk}/transitions/"
    assert_error(APIClient().post(url, {"action": "start_mediation"}, format="json"), 401)
    assert_error(token_client(rep_a).post(url, {"action": "start_mediation"}, format="json"), 403)
    assert_error(staff_client(reviewer).post(url, {"action": "start_mediation"}, format="json"), 403)
    officer = staff_client(complaint_officer)
    assert_error(officer.post(url, {"action": "dance"}, format="json"), 400, "invalid")
    assert_error(officer.post(url, {"action": "step", "text": "x"}, format="json"), 409, "transition_not_allowed")
    assert officer.post(url, {"action": "start_mediation"}, format="json").json()["state"] == DisputeState.IN_MEDIATION
    empty = assert_error(officer.post(url, {"action": "step", "text": ""}, format="json"), 400)
    assert "step" in empty["fields"]
    assert officer.post(url, {"action": "step", "text": "双方面谈"}, format="json").status_code == 200
    assert "outcome" in assert_error(officer.post(url, {"action": "settle"}, format="json"), 400)["fields"]
    done = officer.post(url, {"action": "not_settle", "text": "未能达成一致"}, format="json").json()
    assert done["state"] == DisputeState.NOT_SETTLED and done["outcome"] == "未能达成一致"
    dispute.refresh_from_db()
    assert dispute.mediator == complaint_officer
    assert [e.action for e in dispute.events.order_by("id")] == ["request", "start_mediation", "step", "not_settle"]
    assert member_a.notifications.filter(kind="mediation_not_settle").exists()
    assert_error(staff_client(complaint_officer).post("/api/v1/disputes/999999/transitions/",
                                                      {"action": "settle", "text": "x"}, format="json"), 404)


def test_officers_take_measures_on_a_substantiated_case(filed, complaint_officer, reviewer, rep_a):
    url = f"/api/v1/complaints/{filed.complaint.pk}/measures/"
    order_input = {"action": "correction_order", "requirement": "限期整改", "deadline": str(clock.today() + timedelta(days=5))}
    assert_error(token_client(rep_a).post(url, order_input, format="json"), 403)
    assert_error(staff_client(reviewer).post(url, order_input, format="json"), 403)
    officer = staff_client(complaint_officer)
    assert_error(officer.post(url, order_input, format="json"), 409)  # not substantiated yet
    assert officer.post(url, {"action": "note", "text": "内部备注N1"}, format="json").status_code == 201
    assert ComplaintEvent.objects.filter(complaint=filed.complaint, action="note", comment="内部备注N1").exists()
    assert officer.post(url, {"action": "assign", "assignee_id": complaint_officer.pk}, format="json").status_code == 201
    filed.complaint.refresh_from_db()
    assert filed.complaint.assigned_to == complaint_officer
    assert_error(officer.post(url, {"action": "assign", "assignee_id": rep_a.pk}, format="json"), 400,
                 "assignee_not_staff")

    services.complaint_start_verification(filed.complaint, user=complaint_officer)
    services.complaint_substantiate(filed.complaint, user=complaint_officer, finding="属实")
    missing = assert_error(officer.post(url, {"action": "correction_order", "requirement": "x"}, format="json"), 400)
    assert "deadline" in missing["fields"]
    issued = officer.post(url, order_input, format="json")
    assert issued.status_code == 201
    order = CorrectionOrder.objects.get(pk=issued.json()["id"])
    assert order.requirement == "限期整改" and order.state == CorrectionState.ISSUED
    notice = officer.post(url, {"action": "internal_notice", "title": "通报", "body": "内容"}, format="json")
    assert InternalNotice.objects.get(pk=notice.json()["id"]).organisation == filed.complaint.organisation

    review = f"/api/v1/corrections/{order.pk}/review/"
    assert_error(staff_client(reviewer).post(review, {"action": "accept"}, format="json"), 403)
    assert_error(officer.post(review, {"action": "accept"}, format="json"), 409)  # not answered yet
    services.correction_answer(order, user=rep_a, report="已整改")
    accepted = officer.post(review, {"action": "accept", "text": "认可"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == CorrectionState.ACCEPTED

    revoke = officer.post(url, {"action": "revoke", "text": "拒不整改", "public_notice": "取消成员资格"}, format="json")
    assert revoke.status_code == 201
    filed.complaint.refresh_from_db()
    filed.complaint.organisation.refresh_from_db()
    assert filed.complaint.revocation_event is not None
    assert filed.complaint.organisation.status == "revoked"
