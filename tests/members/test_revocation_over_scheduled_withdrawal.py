"""A revocation (Art 21) decided while a withdrawal (Art 25) is scheduled for a later day ends the
membership first: the withdrawal's event stays in the record, superseded by the revocation's event,
and every view of every date (status on D, periods, bulletins, the public log) agrees."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import translation

from members import services
from members.core.errors import DomainError
from members.core.policy import SYSTEM
from members.details.models import OrganisationDetails
from members.history import memberships_apply_due
from members.models import (
    Membership,
    MembershipEvent,
    MembershipStatus,
    Notification,
    WithdrawalEvent,
    WithdrawalNotice,
)
from members.publications.selectors import month_period
from members.publications.services import file_path, publication_publish_sync
from members.selectors import registry_inconsistencies, scheduled_end, status_on
from members.transparency.models import LogEntry
from members.transparency.verification import verify_register
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import act, for_org

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)
JOINED, SCHEDULED = date(2025, 1, 10), date(2027, 1, 15)


def _counts() -> tuple[int, ...]:
    return (MembershipEvent.objects.count(), Membership.objects.count(),
            Membership.objects.filter(ended_on__isnull=False).count(),
            list(Membership.objects.order_by("pk").values_list("ended_on", "end_kind")),  # type: ignore[return-value]
            OrganisationDetails.objects.count(), Notification.objects.count(), WithdrawalNotice.objects.count(),
            WithdrawalEvent.objects.count(), LogEntry.objects.count())


def _refused(call, code: str) -> DomainError:
    before = _counts()
    with pytest.raises(DomainError) as exc:
        call()
    assert exc.value.code == code
    assert _counts() == before
    assert registry_inconsistencies() == []
    return exc.value


def _scheduled(moving_clock, reviewer, on: date = SCHEDULED):
    org = make_signatory(OrganisationFactory(name="甲乙丙政务科技有限公司"), on=JOINED)
    moving_clock.set(TODAY)
    notice = services.withdrawal_file(for_org(org), org, requested_date=on)
    services.withdrawal_acknowledge(act(reviewer), notice)
    assert scheduled_end(org).ended_on == on
    return org, notice, MembershipEvent.objects.get(organisation=org, kind="withdrew")


def _row(event: MembershipEvent) -> dict:
    return MembershipEvent.objects.filter(pk=event.pk).values().get()


def test_a_revocation_decided_today_ends_the_membership_today_and_supersedes_the_scheduled_withdrawal(
        moving_clock, reviewer, superuser, client, django_capture_on_commit_callbacks):
    org, notice, withdrawal = _scheduled(moving_clock, reviewer)
    withdrawal_row = _row(withdrawal)
    with django_capture_on_commit_callbacks(execute=True):
        revocation = services.membership_revoke(act(superuser), org, reason="核查属实", public_notice="违反公约第十二条，予以通报")

    assert (revocation.effective_date, revocation.supersedes_id) == (TODAY, withdrawal.pk)
    assert _row(withdrawal) == withdrawal_row  # the withdrawal's row is untouched, only superseded
    assert list(MembershipEvent.objects.in_force().filter(organisation=org).values_list("kind", flat=True)) == [
        "joined", "revoked"]
    period = Membership.objects.get(organisation=org)
    assert (period.ended_on, period.end_kind) == (TODAY, "revoked")
    org.refresh_from_db()
    assert (org.status, org.left_on, scheduled_end(org)) == (MembershipStatus.REVOKED, TODAY, None)
    expected = {JOINED - timedelta(days=1): "none", JOINED: "signatory", TODAY - timedelta(days=1): "signatory",
                TODAY: "revoked", SCHEDULED - timedelta(days=1): "revoked", SCHEDULED: "revoked",
                date(2028, 1, 1): "revoked"}
    for day, status in expected.items():
        assert status_on(org, day) == status, day
        assert client.get(f"/api/v1/organizations/{org.uscc}/status/", {"on": day.isoformat()}).json()["status"] == status
    assert registry_inconsistencies() == []

    # The acknowledged notice keeps its state; its record says the revocation overtook it.
    notice.refresh_from_db()
    assert notice.state == "acknowledged"
    assert notice.events.order_by("-id").first().action == "superseded"

    # The public log: the revocation's entry names the event it supersedes; the log still verifies.
    body = json.loads(LogEntry.objects.get(source=f"membership_event:{revocation.pk}").body)
    assert (body["event"], body["supersedes_event_id"]) == ("revoked", withdrawal.pk)
    assert "supersedes_event_id" not in json.loads(LogEntry.objects.get(source=f"membership_event:{withdrawal.pk}").body)
    assert verify_register().divergence is None

    # The profile and the API show the withdrawal as superseded, never as having taken effect.
    profile = client.get(f"/register/{org.pk}/").content.decode()
    assert f"已被 {TODAY.isoformat()} 的取消成员资格取代，未生效" in profile
    assert 'id="scheduled-end"' not in profile
    events = client.get(f"/api/v1/organizations/{org.uscc}/").json()["events"]
    assert [(e["kind"], e["superseded_on"]) for e in events] == [
        ("joined", None), ("revoked", None), ("withdrew", TODAY.isoformat())]
    from django.urls import reverse

    feed = client.get(reverse("public:feed")).content.decode()
    assert f"已被 {TODAY.isoformat()} 的取消成员资格取代，未生效" in feed

    # On the scheduled day nothing else happens: the job has nothing to apply.
    moving_clock.set(SCHEDULED)
    assert memberships_apply_due(SYSTEM) == 0
    org.refresh_from_db()
    assert (org.status, org.left_on) == (MembershipStatus.REVOKED, TODAY)
    assert registry_inconsistencies() == []

    # The bulletins: revoked in December (with its notice), not withdrawn in January, in no roster after.
    moving_clock.set(date(2027, 2, 1))
    dec = publication_publish_sync(act(), month_period(2026, 12))
    jan = publication_publish_sync(act(), month_period(2027, 1))

    def lines(pub, section: str) -> list[dict]:
        data = json.loads(file_path(pub.files.get(kind="json")).read_text(encoding="utf-8"))
        return [u for u in data[section] if u["uscc"] == org.public_uscc]

    assert [u["date"] for u in lines(dec, "revoked")] == [TODAY.isoformat()]
    assert lines(dec, "roster") == [] and lines(jan, "withdrew") == [] and lines(jan, "roster") == []
    assert verify_register().divergence is None


def test_a_revocation_for_a_day_before_the_scheduled_one_takes_effect_on_its_day(moving_clock, reviewer,
                                                                                 superuser):
    org, _notice, withdrawal = _scheduled(moving_clock, reviewer)
    revoked_on = date(2027, 1, 5)
    event = services.membership_revoke(act(superuser), org, reason="r", public_notice="通报",
                                       effective_date=revoked_on)
    assert event.supersedes_id == withdrawal.pk
    org.refresh_from_db()
    # Still a signatory until the revocation's day; the scheduled end shown is now the revocation.
    assert org.status == MembershipStatus.SIGNATORY
    assert (scheduled_end(org).ended_on, scheduled_end(org).end_kind) == (revoked_on, "revoked")
    assert registry_inconsistencies() == []
    for day, status in ((TODAY, "signatory"), (date(2027, 1, 4), "signatory"), (revoked_on, "revoked"),
                        (SCHEDULED, "revoked")):
        assert status_on(org, day) == status, day
    moving_clock.set(revoked_on)
    assert memberships_apply_due(SYSTEM) == 1
    assert memberships_apply_due(SYSTEM) == 0
    org.refresh_from_db()
    assert (org.status, org.left_on) == (MembershipStatus.REVOKED, revoked_on)
    assert registry_inconsistencies() == []


def test_a_revocation_on_or_after_the_scheduled_day_or_backdated_is_refused_and_writes_nothing(moving_clock,
                                                                                              reviewer, superuser):
    org, _notice, _withdrawal = _scheduled(moving_clock, reviewer)

    def revoke(on: date):
        return lambda: services.membership_revoke(act(superuser), org, reason="r", public_notice="通报",
                                                  effective_date=on)

    err = _refused(revoke(SCHEDULED), "end_scheduled")
    assert str(err.message).startswith("该单位的退出已定于 2027-01-15 生效")
    with translation.override("en"):
        assert "2027-01-15" in str(err.message) and "before" in str(err.message)
    _refused(revoke(SCHEDULED + timedelta(days=20)), "end_scheduled")
    _refused(revoke(TODAY - timedelta(days=1)), "revocation_backdated")
    _refused(lambda: services.membership_revoke(act(superuser), org, reason="r", public_notice=" "),
             "public_notice_required")
    _refused(lambda: services.membership_revoke(act(reviewer), org, reason="r", public_notice="通报"),
             "permission_denied")  # reviewers acknowledge withdrawals; they do not revoke
    _refused(lambda: services.withdrawal_file(for_org(org), org), "end_scheduled")
    org.refresh_from_db()
    assert org.status == MembershipStatus.SIGNATORY and scheduled_end(org).end_kind == "withdrawn"


def test_a_scheduled_revocation_is_not_superseded_again(moving_clock, reviewer, superuser):
    org, _notice, _withdrawal = _scheduled(moving_clock, reviewer)
    services.membership_revoke(act(superuser), org, reason="r", public_notice="通报", effective_date=date(2027, 1, 5))
    _refused(lambda: services.membership_revoke(act(superuser), org, reason="r2", public_notice="通报二"),
             "end_scheduled")
    assert MembershipEvent.objects.filter(organisation=org, supersedes__isnull=False).count() == 1


def test_registry_inconsistencies_reports_a_supersession_that_is_not_an_earlier_revocation(moving_clock, reviewer):
    """The check is not blind: an event row that supersedes the wrong way is reported."""
    org, _notice, withdrawal = _scheduled(moving_clock, reviewer)
    join = MembershipEvent.objects.get(organisation=org, kind="joined")
    # A raw row as a faulty data fix would write it: a "withdrawal" that claims to supersede the join.
    MembershipEvent.objects.create(organisation=org, membership=join.membership, kind="withdrew",
                                   effective_date=SCHEDULED + timedelta(days=1), legal_basis="x", supersedes=join)
    problems = [p.problem for p in registry_inconsistencies([org.pk])]
    assert any(f"supersedes event {join.pk}" in p for p in problems)


def test_a_rename_between_scheduling_a_withdrawal_and_its_day_keeps_the_logged_entry_true(moving_clock, reviewer):
    """A log entry states the details known when it was written: a scheduled withdrawal logged before a
    rename still agrees with the database after it (verify_register), though its day is after the rename."""
    from members.history import organisation_details_change

    org, _notice, withdrawal = _scheduled(moving_clock, reviewer)
    moving_clock.set(TODAY + timedelta(days=9))
    organisation_details_change(act(reviewer), org, data={"name": "甲乙丙数字政务集团有限公司"}, reason="更名")
    body = json.loads(LogEntry.objects.get(source=f"membership_event:{withdrawal.pk}").body)
    assert body["organisation"]["name"] == "甲乙丙政务科技有限公司"
    assert verify_register().divergence is None
    # The bulletin of January shows the name of the withdrawal's own day.
    moving_clock.set(SCHEDULED)
    memberships_apply_due(SYSTEM)
    moving_clock.set(date(2027, 2, 1))
    jan = publication_publish_sync(act(), month_period(2027, 1))
    data = json.loads(file_path(jan.files.get(kind="json")).read_text(encoding="utf-8"))
    assert [u["name"] for u in data["withdrew"]] == ["甲乙丙数字政务集团有限公司"]
    assert verify_register().divergence is None
