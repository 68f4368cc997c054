"""Staff work through the admin itself; every action goes through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import MembershipEvent, MembershipStatus, Organisation
from members.selectors import registry_inconsistencies
from tests.factories import make_application, valid_uscc
from tests.helpers import for_org, login_staff


def _submitted(org=None):
    from members import services

    app = make_application(org)
    services.application_submit(for_org(app.organisation), app)
    return app


@pytest.mark.django_db
def test_a_reviewer_reviews_verifies_and_approves_through_the_admin(client, reviewer):
    app = _submitted()
    login_staff(client, reviewer)
    change = reverse("admin:members_joinapplication_change", args=[app.pk])
    page = client.get(change)
    # The buttons follow the transition table: a submitted application can only be taken into review.
    assert page.status_code == 200 and "开始审核" in page.content.decode()
    assert "核验签署页" not in page.content.decode() and "批准" not in page.content.decode()
    for action in ("start_review", "verify_sealed_page", "approve"):
        url = reverse("admin:members_joinapplication_decide", args=[app.pk, action])
        if action == "verify_sealed_page":  # first the documents to look at and a confirmation
            look = client.post(url)
            assert look.status_code == 200 and 'id="confirm-verify"' in look.content.decode()
            assert "?preview=1" in look.content.decode()
        response = client.post(url, {"confirmed": "1"}, follow=True)
        assert response.status_code == 200
    app.refresh_from_db()
    assert app.state == "approved"
    assert app.organisation.status == MembershipStatus.SIGNATORY
    assert MembershipEvent.objects.get(organisation=app.organisation).actor == reviewer
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_approving_before_verification_shows_the_reason_and_changes_nothing(client, reviewer):
    app = _submitted()
    login_staff(client, reviewer)
    client.post(reverse("admin:members_joinapplication_decide", args=[app.pk, "start_review"]))
    response = client.post(reverse("admin:members_joinapplication_decide", args=[app.pk, "approve"]), follow=True)
    assert "签署页尚未核验，不能批准。" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "under_review" and not MembershipEvent.objects.exists()


@pytest.mark.django_db
def test_return_needs_a_comment_the_applicant_will_read(client, reviewer):
    app = _submitted()
    login_staff(client, reviewer)
    client.post(reverse("admin:members_joinapplication_decide", args=[app.pk, "start_review"]))
    url = reverse("admin:members_joinapplication_decide", args=[app.pk, "return"])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "under_review"
    client.post(url, {"comment": "营业执照扫描件不清晰"})
    app.refresh_from_db()
    assert app.state == "returned" and app.staff_comment == "营业执照扫描件不清晰"


@pytest.mark.django_db
def test_bulk_actions_on_the_changelist_use_the_services(client, reviewer):
    apps = [_submitted(), _submitted()]
    login_staff(client, reviewer)
    url = reverse("admin:members_joinapplication_changelist")
    for action in ("start_review", "verify_sealed_page", "approve"):
        client.post(url, {"action": action, "_selected_action": [a.pk for a in apps]})
    assert set(Organisation.objects.values_list("status", flat=True)) == {MembershipStatus.SIGNATORY}
    assert MembershipEvent.objects.count() == 2


@pytest.mark.django_db
def test_a_withdrawal_is_acknowledged_from_the_admin(client, reviewer):
    from members import services
    from tests.factories import make_signatory

    org = make_signatory()
    notice = services.withdrawal_file(for_org(org), org)
    login_staff(client, reviewer)
    client.post(reverse("admin:members_withdrawalnotice_changelist"),
                {"action": "acknowledge", "_selected_action": [notice.pk]})
    org.refresh_from_db()
    assert org.status == MembershipStatus.WITHDRAWN
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_the_admin_checks_the_code_and_records_a_waiver_with_its_reason(client, reviewer):
    login_staff(client, reviewer)
    url = reverse("admin:members_organisation_add")
    data = {"uscc": "91350100M000100Y44", "name": "试点单位", "roles": ["developer"], "region": "350000",
            "_save": "1"}
    response = client.post(url, data)
    assert "第18位校验码与前17位不符，请核对代码是否抄写有误。" in response.content.decode()
    response = client.post(url, {**data, "uscc_check_waived": "on"})
    assert "接受未通过校验的代码必须记录理由。" in response.content.decode()
    assert not Organisation.objects.exists()
    client.post(url, {**data, "uscc_check_waived": "on", "uscc_waiver_reason": "2015年试点期间发放的早期代码"})
    org = Organisation.objects.get()
    assert org.uscc_check_waived and org.uscc_waived_by == reviewer
    client.post(url, {**data, "uscc": "９１３５０１００ｍ０００１００ｙ４３", "name": "全角输入单位"})
    assert Organisation.objects.filter(uscc="91350100M000100Y43").exists()


@pytest.mark.django_db
def test_admin_search_finds_by_name_and_code(client, reviewer, org_a, org_b):
    login_staff(client, reviewer)
    url = reverse("admin:members_organisation_changelist")
    assert "甲方数字科技" in client.get(url, {"q": "甲方"}).content.decode()
    body = client.get(url, {"q": org_b.uscc}).content.decode()
    assert "乙方软件" in body and "甲方数字科技" not in body


@pytest.mark.django_db
def test_staff_groups_have_what_they_need_and_no_more(client, reviewer, complaint_officer, publisher):
    assert reviewer.has_perm("members.change_joinapplication")
    assert not reviewer.has_perm("members.delete_organisation")
    assert not complaint_officer.has_perm("members.change_joinapplication")
    assert not publisher.has_perm("members.view_document")
    login_staff(client, complaint_officer)
    assert client.get(reverse("admin:members_joinapplication_changelist")).status_code == 403
    assert valid_uscc()  # the factory's codes stay valid under the groups' fixtures
