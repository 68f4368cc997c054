"""Each measure seen by the public, another member and the reported company, through HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from complaints import services
from complaints.models import ComplaintEvent, CorrectionState
from members.core import clock
from members.models import MembershipEvent, MembershipStatus
from members.selectors import registry_inconsistencies, status_on
from tests.complaints.conftest import REPORTER, new_org
from tests.factories import make_representative
from tests.helpers import act


@pytest.fixture
def case(filed, complaint_officer):
    services.complaint_start_verification(act(complaint_officer), filed.complaint)
    return services.complaint_substantiate(act(complaint_officer), filed.complaint,
                                           finding="经查，该应用存在强制签到功能。")


def _body(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_measures_need_a_substantiated_case(filed, complaint_officer):
    with pytest.raises(services.TransitionNotAllowed):
        services.internal_notice_issue(act(complaint_officer), filed.complaint, title="t", body="b")


def test_a_correction_order_is_seen_only_by_the_reported_company(case, member_b, rep_a, rep_b, client, complaint_officer,
                                                                 django_capture_on_commit_callbacks):
    order = services.correction_order_issue(act(complaint_officer), case, requirement="下架签到积分功能ZX01",
                                            deadline=clock.today() + timedelta(days=15))
    url = f"/portal/cases/corrections/{order.pk}/"
    # The public: nothing (login required) and no trace on public pages.
    assert client.get(url).status_code == 302
    for page in ("/complaints/notices/", "/", "/register/"):
        assert "ZX01" not in client.get(page).content.decode()
    # Another member: not found, not listed.
    client.force_login(rep_b)
    assert client.get(url).status_code == 404
    assert "ZX01" not in client.get("/portal/cases/").content.decode()
    # The reported company: listed, readable, answerable; never the reporter.
    client.force_login(rep_a)
    status, body = _body(client, "/portal/cases/")
    assert status == 200 and str(order) in body
    status, body = _body(client, url)
    assert status == 200 and "ZX01" in body
    for private in (*REPORTER.values(), case.description):
        assert private not in body
    response = client.post(url, {"report": "已于本周下架签到功能并发布新版本。"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == CorrectionState.ANSWERED and order.answered_by == rep_a
    # Another member cannot answer it either.
    client.force_login(rep_b)
    assert client.post(url, {"report": "x"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_accept(act(complaint_officer), order, comment="整改到位")
    order.refresh_from_db()
    assert order.state == CorrectionState.ACCEPTED
    assert [n.kind for n in case.organisation.notifications.order_by("id")][-2:] == [
        "correction_order", "correction_accepted"]
    assert any("rep-a@example.org" in m.to for m in mail.outbox)


def test_an_internal_notice_is_seen_by_members_only(case, member_b, rep_a, rep_b, client, complaint_officer):
    notice = services.internal_notice_issue(act(complaint_officer), case, title="关于甲方的内部通报NT77",
                                            body="通报内容：强制签到。")
    url = f"/portal/cases/notices/{notice.pk}/"
    for page in ("/complaints/notices/", "/", "/register/", "/api/v1/notices/"):
        assert "NT77" not in client.get(page).content.decode()
    assert client.get(url).status_code == 302
    for rep in (rep_a, rep_b):  # the reported company and another member
        client.force_login(rep)
        assert "NT77" in client.get("/portal/cases/").content.decode()
        status, body = _body(client, url)
        assert status == 200 and "通报内容" in body and REPORTER["reporter_name"] not in body
    # A company that is not (or no longer) a signatory does not see internal notices.
    outsider = make_representative(new_org(), "outsider@example.org")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert "NT77" not in client.get("/portal/cases/").content.decode()


def test_revocation_ends_the_membership_and_is_published(case, member_a, rep_b, client, complaint_officer):
    services.complaint_revoke_membership(act(complaint_officer), case, reason="内部理由RS99",
                                         public_notice="多次强制用户签到，拒不整改。")
    member_a.refresh_from_db()
    assert member_a.status == MembershipStatus.REVOKED and member_a.left_on == clock.today()
    assert status_on(member_a, clock.today()) == MembershipStatus.REVOKED
    event = MembershipEvent.objects.get(organisation=member_a, kind=MembershipEvent.Kind.REVOKED)
    assert event.public_notice == "多次强制用户签到，拒不整改。" and event.legal_basis == "第二十一条"
    assert event.actor == complaint_officer
    case.refresh_from_db()
    assert case.revocation_event == event
    assert ComplaintEvent.objects.filter(complaint=case, action="revoke_membership").exists()
    assert registry_inconsistencies() == []
    assert not member_a.memberships.filter(ended_on__isnull=True).exists()
    # The public notices page: date, company and the grounds as published; never internal reasons or reporter.
    status, body = _body(client, "/complaints/notices/")
    assert status == 200
    assert member_a.name in body and "多次强制用户签到，拒不整改。" in body and event.effective_date.isoformat() in body
    for private in ("内部理由RS99", *REPORTER.values(), member_a.contact_phone, member_a.contact_email):
        assert private not in body
    # The public API lists it too.
    data = client.get("/api/v1/notices/").json()
    assert data["results"][0]["organisation_name"] == member_a.name
    assert data["results"][0]["public_notice"] == "多次强制用户签到，拒不整改。"
    assert "内部理由RS99" not in str(data)
    # A second revocation for the same case is refused.
    with pytest.raises(services.DomainError):
        services.complaint_revoke_membership(act(complaint_officer), case, reason="x", public_notice="y")


def test_the_reported_company_never_learns_who_reported(case, rep_a, client, complaint_officer):
    services.correction_order_issue(act(complaint_officer), case, requirement="整改",
                                    deadline=clock.today() + timedelta(days=5))
    services.internal_notice_issue(act(complaint_officer), case, title="通报", body="内容")
    client.force_login(rep_a)
    pages = ["/portal/cases/", *(f"/portal/cases/corrections/{o.pk}/" for o in case.corrections.all()),
             *(f"/portal/cases/notices/{n.pk}/" for n in case.internal_notices.all())]
    for url in pages:
        body = client.get(url).content.decode()
        for private in REPORTER.values():
            assert private not in body
    for note in case.organisation.notifications.all():
        for private in REPORTER.values():
            assert private not in note.body + note.subject
    for message in mail.outbox:
        for private in REPORTER.values():
            assert private not in message.body


def test_an_escalated_order_can_lead_to_revocation(case, member_a, complaint_officer):
    order = services.correction_order_issue(act(complaint_officer), case, requirement="整改",
                                            deadline=clock.today() + timedelta(days=5))
    services.correction_escalate(act(complaint_officer), order, comment="逾期未整改")
    services.complaint_revoke_membership(act(complaint_officer), case, reason="逾期未整改",
                                         public_notice="拒不整改。")
    member_a.refresh_from_db()
    assert member_a.status == MembershipStatus.REVOKED
