"""Notification e-mails: marked sent only after the mail server accepted them, never sent twice by one
claim, and sent again by the sweep when the worker died mid-send (Django's locmem outbox)."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from members import services
from members.audit.tasks import sweep_outbox
from members.models import Notification
from members.tasks import notification_email, notification_message_id


class RefusingBackend(EmailBackend):
    """A mail server that drops the connection before accepting the message."""

    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class WorkerKilled(BaseException):
    """What the worker's process sees of a SIGKILL in the middle of the SMTP dialogue: nothing after it."""


class DyingBackend(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise WorkerKilled


@pytest.fixture
def note(org_a, rep_a, settings):
    settings.OUTBOX_RESEND_AFTER_SECONDS = 0
    note = services.notify(org_a, "t", "主题", "内容")  # outside on_commit: its own job never left
    mail.outbox.clear()
    return note


def _sent(pk: int) -> Notification:
    return Notification.objects.get(pk=pk)


def test_it_marks_sent_only_after_the_server_accepted_and_the_sweep_sends_it_once(note, settings):
    settings.EMAIL_BACKEND = "tests.members.test_notification_email.RefusingBackend"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_email(note.pk)
    row = _sent(note.pk)
    assert row.emailed_at is None and row.send_claimed_at is None  # not marked, claim released
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sweep_outbox()
    sweep_outbox()
    assert [m.subject for m in mail.outbox] == ["[公约成员登记] 主题"]
    assert mail.outbox[0].extra_headers["Message-ID"] == notification_message_id(row)
    assert mail.outbox[0].to == ["rep-a@example.org"]
    assert _sent(note.pk).emailed_at is not None


def test_a_worker_killed_mid_send_leaves_it_unsent_and_the_next_sweep_after_the_claim_resends(note, settings):
    settings.EMAIL_BACKEND = "tests.members.test_notification_email.DyingBackend"
    with pytest.raises(WorkerKilled):
        notification_email(note.pk)
    row = _sent(note.pk)
    assert row.emailed_at is None and row.send_claimed_at is not None  # held by the dead worker

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # While the claim is fresh the dead worker might still be talking to the server: nobody else sends.
    sweep_outbox()
    assert notification_email(note.pk) is False
    assert mail.outbox == []
    Notification.objects.filter(pk=note.pk).update(
        send_claimed_at=timezone.now() - timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_SECONDS + 1))
    assert sweep_outbox()["notifications_requeued"] == 1
    sweep_outbox()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == notification_message_id(row)  # same key as the lost try
    assert _sent(note.pk).emailed_at is not None


def test_a_second_delivery_of_the_same_job_sends_nothing(note):
    assert notification_email(note.pk) is True
    assert notification_email(note.pk) is False
    sweep_outbox()
    assert len(mail.outbox) == 1


def test_a_job_whose_claim_was_taken_over_does_not_mark_the_new_holders_message(note, settings):
    """The late worker's "mark sent" is conditional on its own token: it cannot confirm another's send."""
    Notification.objects.filter(pk=note.pk).update(send_claim="another-worker", send_claimed_at=timezone.now())
    assert notification_email(note.pk) is False
    row = _sent(note.pk)
    assert row.emailed_at is None and row.send_claim == "another-worker"
    assert mail.outbox == []
