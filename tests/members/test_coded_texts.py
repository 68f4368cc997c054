"""Stored texts as codes plus parameters (issue 13): each reader sees notifications and event comments in
their own language, free text typed by staff stays as typed, and rows written before codes still read
right (translated when they are a fixed message, coded by the data migration when they match one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.utils import translation

from complaints import services as complaint_services
from complaints.models import ComplaintEvent, DisputeState
from members import services
from members.core import texts, texts_backfill
from members.models import ApplicationEvent, MembershipEvent, Notification
from tests.complaints.conftest import REPORTER, file_complaint
from tests.factories import OrganisationFactory, make_application, make_signatory
from tests.helpers import act, for_org

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def member_a(org_a):
    return make_signatory(org_a)


@pytest.fixture
def member_b(org_b):
    return make_signatory(org_b)


@pytest.fixture
def filed(member_a):
    return file_complaint(member_a, **REPORTER)


@pytest.fixture
def member_a_order(filed, complaint_officer):
    c = complaint_services.complaint_start_verification(act(complaint_officer), filed.complaint)
    c = complaint_services.complaint_substantiate(act(complaint_officer), c, finding="属实")
    return complaint_services.correction_order_issue(act(complaint_officer), c, requirement="整改",
                                                     deadline=date(2030, 1, 1))


def _in(language: str, read: Callable[[], object]) -> str:
    """``read()`` evaluated with ``language`` active (as a page or an e-mail in that language would)."""
    with translation.override(language):
        return str(read())


def _returned_application(reviewer):
    app = make_application()
    services.application_submit(for_org(app.organisation), app)
    services.application_start_review(act(reviewer), app)
    with translation.override("en"):  # the reviewer works in English: the row must not store English
        services.application_return(act(reviewer), app, comment="请补充加盖公章的签署页")
    return app


class AnyParams(dict):
    def __missing__(self, key: str) -> str:
        return "x"


def test_every_catalogue_message_has_an_english_translation():
    catalogue = texts._catalogue()
    assert len(catalogue) > 40
    with translation.override("en"):
        english = {code: str(message) % AnyParams() for code, message in catalogue.items()}
    assert [code for code, shown in english.items() if CJK.search(shown)] == []
    assert english["time.local"] == "x (China Standard Time, UTC+8)"


def test_a_notification_is_stored_as_codes_and_read_in_each_language(reviewer):
    app = _returned_application(reviewer)
    note = Notification.objects.get(organisation=app.organisation, kind="application_returned")
    assert (note.subject_code, note.body_code) == ("application_returned.subject", "application_returned.body")
    assert note.params == {"comment": "请补充加盖公章的签署页"}
    assert note.subject == "入约申请被退回修改"  # the default-language text, whatever the writer's language
    assert _in("zh-hans", lambda: note.subject_text) == "入约申请被退回修改"
    assert _in("en", lambda: note.subject_text) == "Join application returned for changes"
    assert _in("en", lambda: note.body_text) == "Review comments: 请补充加盖公章的签署页"  # the comment as typed


def test_staff_free_text_stays_as_typed_in_every_language(member_a_order, complaint_officer):
    complaint_services.correction_escalate(act(complaint_officer), member_a_order, comment="逾期未答复，升级处理")
    note = Notification.objects.get(kind="correction_escalated")
    assert note.body_code == "" and note.body == "逾期未答复，升级处理"
    assert _in("en", lambda: note.body_text) == "逾期未答复，升级处理"
    assert _in("en", lambda: note.subject_text) == "Correction not accepted; the case has been escalated"


def test_a_state_named_in_a_message_is_a_nested_code(member_a, member_b, complaint_officer):
    dispute = complaint_services.dispute_request(for_org(member_a), respondent=member_b, subject="接口费用",
                                                 description="双方就接口费用有分歧。")
    complaint_services.dispute_start_mediation(act(complaint_officer), dispute)
    complaint_services.dispute_settle(act(complaint_officer), dispute, outcome="双方达成一致")
    note = Notification.objects.filter(kind="mediation_settle").first()
    assert note.params["s"] == {"code": f"dispute_state.{DisputeState.SETTLED}", "params": {}}
    assert _in("zh-hans", lambda: note.subject_text) == "调解结束：调解成功"
    assert _in("en", lambda: note.subject_text) == "Mediation ended: Mediation succeeded"


def test_system_comments_and_reasons_of_events_are_coded(reviewer):
    org = make_signatory(OrganisationFactory())
    services.withdrawal_acknowledge(act(reviewer), services.withdrawal_file(for_org(org), org))
    event = MembershipEvent.objects.get(organisation=org, kind=MembershipEvent.Kind.WITHDREW)
    assert (event.reason_code, event.reason) == ("withdrawal.acknowledged", "退出通知已确认")
    assert _in("en", lambda: event.reason_text) == "Withdrawal notice confirmed"
    services.application_reapply(for_org(org), org)
    reapplied = ApplicationEvent.objects.filter(application__organisation=org, action="create").last()
    assert reapplied.comment_code == "application.reapply"
    assert _in("en", lambda: reapplied.comment_text) == "Apply again"


def test_a_row_written_before_codes_is_still_shown_in_the_readers_language(org_a):
    fixed = Notification.objects.create(organisation=org_a, kind="application_received", subject="入约申请已收到",
                                        body="我们已收到贵单位的入约申请，将尽快审核。")
    free = Notification.objects.create(organisation=org_a, kind="x", subject="年会通知", body="请准时参加。")
    assert _in("en", lambda: fixed.subject_text) == "Join application received"
    assert not CJK.search(_in("en", lambda: fixed.body_text))
    assert (_in("en", lambda: free.subject_text), _in("en", lambda: free.body_text)) == ("年会通知", "请准时参加。")


def test_the_data_migration_codes_old_rows_in_either_language(org_a, filed):
    approved = Notification.objects.create(organisation=org_a, kind="application_approved", subject="入约申请已批准",
                                           body="贵单位自 2026-01-05 起成为公约签署成员。")
    settled = Notification.objects.create(organisation=org_a, kind="mediation_settle", subject="调解结束：调解成功",
                                          body="双方达成一致")
    english = Notification.objects.create(organisation=org_a, kind="withdrawal_scheduled",
                                          subject="Withdrawal scheduled", body="staff typed this")
    free = Notification.objects.create(organisation=org_a, kind="x", subject="年会通知", body="请准时参加。")
    event = ComplaintEvent.objects.create(complaint=filed.complaint, to_state=filed.complaint.state,
                                          action="correction_order", comment="Correction deadline 2026-02-01")

    assert texts_backfill.code_notifications(Notification) == 3
    texts_backfill.code_rows(ComplaintEvent, "comment", "comment_code", "comment_params",
                             texts_backfill.EVENT_COMMENT_CODES)

    approved.refresh_from_db(), settled.refresh_from_db(), english.refresh_from_db(), free.refresh_from_db()
    event.refresh_from_db()
    assert (approved.body_code, approved.params) == ("application_approved.body", {"date": "2026-01-05"})
    assert _in("en", lambda: approved.body_text) == "Your organisation is a signatory to the Convention as of 2026-01-05."
    assert _in("en", lambda: settled.subject_text) == "Mediation ended: Mediation succeeded"
    assert settled.body_code == "" and settled.body_text == "双方达成一致"
    assert english.subject_code == "withdrawal_scheduled.subject"
    assert _in("zh-hans", lambda: english.subject_text) == "退出已安排"
    assert (free.subject_code, free.body_code) == ("", "")
    assert (event.comment_code, event.comment_params) == ("complaint.correction_deadline", {"d": "2026-02-01"})
    assert _in("zh-hans", lambda: event.comment_text) == "整改期限 2026-02-01"


def test_an_unknown_code_is_refused_when_written_and_shows_the_stored_text_when_read():
    with pytest.raises(KeyError):
        texts.text("no.such.code")
    assert texts.shown("gone.code", {}, "原文") == "原文"
    assert texts.shown("application_approved.body", {}, "原文") == "原文"  # a parameter is missing
