"""Case histories as people read them (issue 13): labels for moves and states, never codes; times in
Asia/Shanghai with the zone named, in Chinese and English; the admin header names the staff member; the
"near the target" count of reports follows the named setting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from complaints import services as complaint_services
from convention.templatetags.staff_work import _all_work
from members import services
from members.core import clock
from members.core.people import display_name
from tests.complaints.conftest import REPORTER, file_complaint
from tests.factories import make_application, make_representative, make_signatory
from tests.helpers import act, for_org, login_staff

pytestmark = pytest.mark.django_db


def _shown(value: datetime, language: str) -> str:
    with translation.override(language):
        return Template("{% load registry_labels %}{{ t|local_time }}").render(Context({"t": value}))


def test_a_time_is_shown_in_shanghai_with_the_zone_named_whatever_zone_is_active():
    with timezone.override("UTC"):
        assert _shown(datetime(2026, 1, 1, 16, 30, tzinfo=UTC), "zh-hans") == "2026-01-02 00:30（北京时间）"
        assert _shown(datetime(2026, 1, 1, 16, 30, tzinfo=UTC), "en") == \
            "2026-01-02 00:30 (China Standard Time, UTC+8)"


def _under_review(reviewer):
    app = make_application()
    rep = make_representative(app.organisation)
    services.application_submit(for_org(app.organisation), app)
    services.application_start_review(act(reviewer), app)
    return app, rep


def test_the_portal_history_of_an_application_shows_labels_and_local_time(client, reviewer):
    app, rep = _under_review(reviewer)
    client.force_login(rep)
    url = f"/portal/applications/{app.pk}/"
    page = client.get(url).content.decode()
    submitted = app.events.get(action="submit").at
    assert f"<td>{_shown(submitted, 'zh-hans')}</td><td>提交申请</td><td>已提交</td>" in page
    assert "<td>开始审核</td><td>审核中</td>" in page

    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert f"<td>{_shown(submitted, 'en')}</td><td>Application submitted</td><td>Submitted</td>" in page
    assert "<td>Review started</td><td>Under review</td>" in page
    assert ">under_review<" not in page and ">start_review<" not in page


def test_the_admin_history_inline_shows_labels_local_time_and_the_staff_members_name(client, reviewer):
    reviewer.first_name, reviewer.last_name = "伟", "张"
    reviewer.save(update_fields=["first_name", "last_name"])
    app, _rep = _under_review(reviewer)
    login_staff(client, reviewer)
    page = client.get(f"/admin/members/joinapplication/{app.pk}/change/").content.decode()
    reviewed = app.events.get(action="start_review")
    assert _shown(reviewed.at, "zh-hans") in page
    for label in ("开始审核", "审核中", "已提交"):
        assert label in page
    assert "张伟" in page
    assert '<strong id="staff-name">张伟</strong>' in page  # the header, not the login e-mail


def test_the_admin_header_falls_back_to_the_login_and_orders_latin_names_first_last(client, superuser):
    login_staff(client, superuser)
    page = client.get("/admin/").content.decode()
    assert f'<strong id="staff-name">{superuser.get_username()}</strong>' in page
    superuser.first_name, superuser.last_name = "Ada", "Lovelace"
    assert display_name(superuser) == "Ada Lovelace"


def test_the_officers_case_page_shows_labels_states_coded_comments_and_local_time(client, complaint_officer, org_a):
    filed = file_complaint(make_signatory(org_a), **REPORTER)
    c = complaint_services.complaint_start_verification(act(complaint_officer), filed.complaint)
    c = complaint_services.complaint_substantiate(act(complaint_officer), c, finding="属实")
    complaint_services.correction_order_issue(act(complaint_officer), c, requirement="整改",
                                              deadline=clock.today() + timedelta(days=10))
    login_staff(client, complaint_officer)
    client.cookies["django_language"] = "en"
    page = client.get(f"/admin/complaints/complaint/{c.pk}/case/").content.decode()
    ordered = c.events.get(action="correction_order")
    deadline = (clock.today() + timedelta(days=10)).isoformat()
    assert f"<td>{_shown(ordered.at, 'en')}</td>" in page
    assert f"Correction deadline {deadline}" in page and f"整改期限 {deadline}" not in page
    assert "Under verification" in page


def test_reports_near_the_verification_target_follow_the_named_setting(settings, org_a):
    settings.COMPLAINTS_VERIFICATION_TARGET_DAYS = 10
    settings.COMPLAINTS_VERIFICATION_WARNING_DAYS = 3
    member = make_signatory(org_a)
    near = file_complaint(member).complaint
    fresh = file_complaint(member).complaint
    type(near).objects.filter(pk=near.pk).update(received_at=clock.now() - timedelta(days=8))
    type(fresh).objects.filter(pk=fresh.pk).update(received_at=clock.now() - timedelta(days=6))
    item = next(i for i in _all_work() if i.key == "complaints")
    assert item.count == 1
    assert str(item.label) == "临近查证目标期限的举报（受理已满 7 天，目标 10 天）"
    settings.COMPLAINTS_VERIFICATION_WARNING_DAYS = 5
    assert next(i for i in _all_work() if i.key == "complaints").count == 2


def test_the_dispute_api_gives_codes_for_programs_and_labels_in_the_requests_language(org_a, org_b, rep_a,
                                                                                      complaint_officer):
    from tests.helpers import token_client

    member_a, member_b = make_signatory(org_a), make_signatory(org_b)
    dispute = complaint_services.dispute_request(for_org(member_a), respondent=member_b, subject="接口费用",
                                                 description="对方未按约定结算。")
    complaint_services.dispute_start_mediation(act(complaint_officer), dispute)
    api = token_client(rep_a, write=True)
    events = api.get(f"/api/v1/cases/disputes/{dispute.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()["events"]
    started = next(e for e in events if e["action"] == "start_mediation")
    assert (started["to_state"], started["to_state_label"]) == ("in_mediation", "In mediation")
    assert started["action_label"] == "Start mediation"
