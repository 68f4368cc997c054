"""Scheduled jobs: overdue correction orders and the reporters' retention period."""

from __future__ import annotations

from datetime import timedelta

from django_celery_beat.models import PeriodicTask

from complaints import services, tasks
from complaints.models import Complaint, CorrectionOrder
from members.core import clock
from tests.complaints.conftest import REPORTER, file_complaint
from tests.helpers import act


def test_the_beat_schedule_exists_after_migrating(db):
    names = set(PeriodicTask.objects.filter(task__startswith="complaints.tasks.").values_list("task", flat=True))
    assert names == {"complaints.tasks.correction_orders_flag_overdue", "complaints.tasks.reporter_contacts_purge"}


def test_it_flags_overdue_correction_orders_once(filed, complaint_officer, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    c = services.complaint_start_verification(act(complaint_officer), filed.complaint)
    c = services.complaint_substantiate(act(complaint_officer), c, finding="属实")
    today = clock.today()
    due = services.correction_order_issue(act(complaint_officer), c, requirement="a", deadline=today + timedelta(1))
    later = services.correction_order_issue(act(complaint_officer), c, requirement="b", deadline=today + timedelta(9))
    assert tasks.correction_orders_flag_overdue.delay().get() == 0
    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.correction_orders_flag_overdue.delay().get() == 1
    assert tasks.correction_orders_flag_overdue.delay().get() == 0  # idempotent
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.is_overdue and due.overdue_flagged_at is not None and later.overdue_flagged_at is None
    assert list(due.events.values_list("action", flat=True)) == ["issue", "flag_overdue"]
    assert c.organisation.notifications.filter(kind="correction_overdue").count() == 1
    assert c.events.filter(action="correction_overdue").count() == 1


def test_an_answered_order_is_not_flagged(filed, complaint_officer, rep_a, monkeypatch):
    c = services.complaint_start_verification(act(complaint_officer), filed.complaint)
    c = services.complaint_substantiate(act(complaint_officer), c, finding="属实")
    order = services.correction_order_issue(act(complaint_officer), c, requirement="a",
                                            deadline=clock.today() + timedelta(1))
    services.correction_answer(act(rep_a), order, report="已整改")
    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(days=3))
    assert tasks.correction_orders_flag_overdue.delay().get() == 0
    assert CorrectionOrder.objects.get().overdue_flagged_at is None


def test_it_erases_reporter_details_after_the_retention_period(member_a, complaint_officer, settings, monkeypatch):
    settings.COMPLAINTS_REPORTER_RETENTION_DAYS = 30
    old = file_complaint(member_a, **REPORTER).complaint
    services.complaint_start_verification(act(complaint_officer), old)
    services.complaint_close_unfounded(act(complaint_officer), old, reason="不属实")
    still_open = file_complaint(member_a, **REPORTER).complaint
    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(days=29))
    assert tasks.reporter_contacts_purge.delay().get() == 0
    recent = file_complaint(member_a, **REPORTER).complaint
    services.complaint_start_verification(act(complaint_officer), recent)
    services.complaint_close_unfounded(act(complaint_officer), recent, reason="不属实")
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(days=31))
    assert tasks.reporter_contacts_purge.delay().get() == 1
    assert tasks.reporter_contacts_purge.delay().get() == 0
    old.refresh_from_db()
    assert (old.reporter_name, old.reporter_email, old.reporter_phone) == ("", "", "")
    assert old.reporter_purged_at is not None and old.events.filter(action="reporter_purged").exists()
    for kept in (still_open, recent):  # open cases and those decided within the period keep their details
        assert Complaint.objects.get(pk=kept.pk).reporter_email == REPORTER["reporter_email"]
    # The description and the decision stay on record.
    assert old.description and old.decision == "不属实"
