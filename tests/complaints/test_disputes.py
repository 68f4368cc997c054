"""Mediation of disputes between members (Art 22), through the portal and the officers' case page."""

from __future__ import annotations

import pytest

from complaints import services
from complaints.models import Dispute, DisputeState
from members.core.errors import DomainError, PermissionDenied
from tests.complaints.conftest import new_org
from tests.factories import make_representative, make_signatory
from tests.helpers import act, login_staff


def test_a_member_requests_mediation_and_both_sides_follow_it(client, member_a, member_b, rep_a, rep_b,
                                                              complaint_officer):
    client.force_login(rep_a)
    form = client.get("/portal/cases/disputes/new/").content.decode()
    assert member_b.name in form and f'value="{member_a.pk}"' not in form  # not against itself
    response = client.post("/portal/cases/disputes/new/", {"respondent": member_b.pk, "subject": "数据接口费用争议",
                                                           "description": "对方未按约定结算接口费用。"})
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and dispute.requester == member_a and dispute.respondent == member_b
    assert member_b.notifications.filter(kind="mediation_requested").exists()
    # Staff record the mediation in the admin case page.
    officer = login_staff(client, complaint_officer)
    url = f"/admin/complaints/dispute/{dispute.pk}/case/"
    assert officer.post(url, {"action": "start_mediation", "start_mediation-text": "已受理"}).status_code == 302
    assert officer.post(url, {"action": "step", "step-text": "组织双方电话会议STEP1"}).status_code == 302
    # Both sides see the case and the step; a third member does not.
    for rep in (rep_a, rep_b):
        client.force_login(rep)
        body = client.get(f"/portal/cases/disputes/{dispute.pk}/").content.decode()
        assert "STEP1" in body and "调解中" in body
        assert "数据接口费用争议" in client.get("/portal/cases/").content.decode()
    third = make_representative(make_signatory(new_org()), "third@example.org")
    client.force_login(third)
    assert client.get(f"/portal/cases/disputes/{dispute.pk}/").status_code == 404
    assert "数据接口费用争议" not in client.get("/portal/cases/").content.decode()
    # Only the requester can withdraw; the respondent cannot.
    client.force_login(rep_b)
    client.post(f"/portal/cases/disputes/{dispute.pk}/withdraw/", {"reason": ""})
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.IN_MEDIATION
    login_staff(client, complaint_officer)
    client.post(url, {"action": "settle", "settle-text": "双方达成和解，按约结算。"})
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.SETTLED and dispute.outcome == "双方达成和解，按约结算。"
    assert [e.action for e in dispute.events.order_by("id")] == ["request", "start_mediation", "step", "settle"]


def test_the_requester_withdraws_through_the_portal(client, member_a, member_b, rep_a):
    dispute = services.dispute_request(act(rep_a), respondent=member_b, subject="事项", description="情况")
    client.force_login(rep_a)
    client.post(f"/portal/cases/disputes/{dispute.pk}/withdraw/", {"reason": "已协商解决"})
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.WITHDRAWN and dispute.outcome == "已协商解决"


def test_it_refuses_mediation_against_oneself_or_a_non_member(member_a, rep_a, rep_b):
    with pytest.raises(DomainError):
        services.dispute_request(act(rep_a), respondent=member_a, subject="s", description="d")
    with pytest.raises(DomainError):
        services.dispute_request(act(rep_a), respondent=new_org(), subject="s", description="d")
    with pytest.raises(PermissionDenied):  # rep_b's organisation is not a signatory
        services.dispute_request(act(rep_b), respondent=member_a, subject="s", description="d")
    assert Dispute.objects.count() == 0
