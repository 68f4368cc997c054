"""The officers' desk in the admin: the case page, masking and who may see reporters."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Permission

from complaints.models import ComplaintState, CorrectionState
from members.core import clock
from members.models import MembershipStatus
from tests.complaints.conftest import REPORTER, new_staff
from tests.helpers import login_staff


def test_an_officer_walks_a_case_to_revocation_in_the_admin(client, filed, complaint_officer, rep_a, member_a):
    login_staff(client, complaint_officer)
    url = f"/admin/complaints/complaint/{filed.complaint.pk}/case/"
    page = client.get(url).content.decode()
    assert REPORTER["reporter_email"] in page  # officers see the reporter
    assert client.post(url, {"action": "start_verification"}).status_code == 302
    assert client.post(url, {"action": "note", "note-text": "已联系应用商店核实"}).status_code == 302
    # A refused move shows the service's message on the page and writes nothing.
    refused = client.post(url, {"action": "close_unfounded", "close_unfounded-text": ""})
    assert refused.status_code == 200 and "结案时必须说明理由" in refused.content.decode()
    assert client.post(url, {"action": "substantiate", "substantiate-text": "查证属实"}).status_code == 302
    deadline = (clock.today() + timedelta(days=7)).isoformat()
    client.post(url, {"action": "correction_order", "correction_order-requirement": "限期整改",
                      "correction_order-deadline": deadline})
    order = filed.complaint.corrections.get()
    client.post(url, {"action": f"escalate_{order.pk}", f"escalate_{order.pk}-text": "拒不整改"})
    client.post(url, {"action": "internal_notice", "internal_notice-title": "内部通报",
                      "internal_notice-body": "强制签到"})
    client.post(url, {"action": "revoke", "revoke-reason": "拒不整改", "revoke-public_notice": "拒不整改，取消资格。"})
    filed.complaint.refresh_from_db()
    order.refresh_from_db()
    member_a.refresh_from_db()
    assert filed.complaint.state == ComplaintState.SUBSTANTIATED and order.state == CorrectionState.ESCALATED
    assert member_a.status == MembershipStatus.REVOKED
    assert list(filed.complaint.events.order_by("id").values_list("action", flat=True)) == [
        "file", "start_verification", "note", "substantiate", "correction_order", "correction_escalated",
        "internal_notice", "revoke_membership"]
    assert "拒不整改，取消资格。" in client.get("/complaints/notices/").content.decode()


def test_lists_mask_the_reporter_and_other_staff_never_see_it(client, filed, complaint_officer, reviewer):
    login_staff(client, complaint_officer)
    listing = client.get("/admin/complaints/complaint/").content.decode()
    assert REPORTER["reporter_email"] not in listing and REPORTER["reporter_phone"] not in listing
    assert REPORTER["reporter_name"] not in listing
    assert "w***@reporter.example.net" in listing and "139****78" in listing
    # A reviewer has no access to complaints at all.
    login_staff(client, reviewer)
    assert client.get("/admin/complaints/complaint/").status_code == 403
    assert client.get(f"/admin/complaints/complaint/{filed.complaint.pk}/case/").status_code == 403
    # Staff who may view complaints but not reporter contacts see the case without the reporter.
    clerk = new_staff("clerk@example.org")
    clerk.user_permissions.add(Permission.objects.get(codename="view_complaint"),
                               Permission.objects.get(codename="change_complaint"))
    login_staff(client, clerk)
    for url in (f"/admin/complaints/complaint/{filed.complaint.pk}/change/",
                f"/admin/complaints/complaint/{filed.complaint.pk}/case/"):
        body = client.get(url).content.decode()
        assert "该应用强制用户每日签到" in body
        for private in REPORTER.values():
            assert private not in body


def test_the_log_line_of_a_filed_report_has_no_reporter(member_a, caplog):
    from tests.complaints.conftest import file_complaint

    with caplog.at_level("INFO"):
        file_complaint(member_a, **REPORTER)
    text = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "complaint filed" in text
    for private in REPORTER.values():
        assert private not in text


def test_evidence_downloads_only_for_officers(client, member_a, complaint_officer, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.complaints.conftest import file_complaint
    from tests.complaints.test_evidence import png_with_text

    c = file_complaint(member_a, evidence=[SimpleUploadedFile("x.png", png_with_text(), "image/png")]).complaint
    url = f"/admin/complaints/complaint/evidence/{c.evidence.get().pk}/"
    login_staff(client, reviewer)
    assert client.get(url).status_code == 403
    login_staff(client, complaint_officer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
