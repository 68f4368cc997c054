"""Effective dates never reach back before the act that causes them (DESIGN "Effective dates"), and
every refused attempt writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from members import services
from members.core.errors import DomainError
from members.core.policy import SYSTEM
from members.details.models import OrganisationDetails
from members.models import Membership, MembershipEvent, MembershipStatus, Notification, WithdrawalNotice
from members.selectors import registry_inconsistencies, scheduled_end, status_on
from members.transparency.models import LogEntry
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import act, for_org, login_staff, token_client

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def _counts() -> tuple[int, ...]:
    return (MembershipEvent.objects.count(), Membership.objects.count(),
            Membership.objects.filter(ended_on__isnull=False).count(), OrganisationDetails.objects.count(),
            Notification.objects.count(), WithdrawalNotice.objects.count(),
            WithdrawalNotice.objects.exclude(state="filed").count(), LogEntry.objects.count())


def _refused(call, code: str) -> DomainError:
    before = _counts()
    with pytest.raises(DomainError) as exc:
        call()
    assert exc.value.code == code
    assert _counts() == before
    assert registry_inconsistencies() == []
    return exc.value


def test_every_backdating_attempt_is_refused_in_both_languages_and_writes_nothing(moving_clock, reviewer,
                                                                                 superuser):
    org = make_signatory(on=date(2025, 1, 10))
    moving_clock.set(TODAY - timedelta(days=3))
    notice = services.withdrawal_file(for_org(org), org)  # filed three days ago
    moving_clock.set(TODAY)
    err = _refused(lambda: services.withdrawal_acknowledge(act(reviewer), notice,
                                                           effective_date=TODAY - timedelta(days=10)),
                   "withdrawal_backdated")
    assert str(err.message) == "退出自通知提交之日（2026-11-28）或之后生效，不能追溯到 2026-11-21。"
    with translation.override("en"):
        assert str(err.message).startswith("A withdrawal takes effect on or after the day its notice was filed")
    # After the filing but before today (status on those days was already answered): refused too.
    _refused(lambda: services.withdrawal_acknowledge(act(reviewer), notice, effective_date=TODAY - timedelta(days=1)),
             "withdrawal_backdated")
    _refused(lambda: services.membership_revoke(act(superuser), org, reason="r", public_notice="通报",
                                                effective_date=TODAY - timedelta(days=1)), "revocation_backdated")
    _refused(lambda: services.membership_start(act(superuser), OrganisationFactory(),
                                               effective_date=TODAY - timedelta(days=1)), "start_backdated")
    other = make_signatory(on=date(2025, 1, 10))
    _refused(lambda: services.withdrawal_file(for_org(other), other, requested_date=TODAY - timedelta(days=1)),
             "withdrawal_backdated")
    notice.refresh_from_db()
    org.refresh_from_db()
    assert notice.state == "filed" and org.status == MembershipStatus.SIGNATORY


def test_a_future_withdrawal_ends_the_membership_on_its_day_and_status_is_right_on_every_date(moving_clock,
                                                                                             reviewer):
    org = make_signatory(on=date(2025, 1, 10))
    moving_clock.set(TODAY)
    notice = services.withdrawal_file(for_org(org), org, requested_date=date(2027, 1, 15))
    services.withdrawal_acknowledge(act(reviewer), notice)
    assert scheduled_end(org).ended_on == date(2027, 1, 15)
    for day in (date(2025, 1, 9), date(2025, 1, 10), TODAY, date(2027, 1, 14), date(2027, 1, 15), date(2028, 1, 1)):
        expected = ("none" if day < date(2025, 1, 10) else "withdrawn" if day >= date(2027, 1, 15) else "signatory")
        assert status_on(org, day) == expected, day
    # No end on or after the scheduled one can be recorded over it (a revocation before it supersedes it:
    # tests/members/test_revocation_over_scheduled_withdrawal.py).
    _refused(lambda: services.membership_revoke(act(), org, reason="r", public_notice="通报",
                                                effective_date=date(2027, 1, 15)), "end_scheduled")
    _refused(lambda: services.withdrawal_file(for_org(org), org), "end_scheduled")
    moving_clock.set(date(2027, 1, 15))
    from members.history import memberships_apply_due

    assert memberships_apply_due(SYSTEM) == 1
    org.refresh_from_db()
    assert (org.status, org.left_on, scheduled_end(org)) == (MembershipStatus.WITHDRAWN, date(2027, 1, 15), None)
    assert registry_inconsistencies() == []


def test_a_backdated_date_through_the_admin_page_or_the_api_writes_nothing(moving_clock, reviewer, client):
    """The admin's acknowledge page and the API call the same service: refused there, nothing written."""
    org = make_signatory(on=date(2025, 1, 10))
    moving_clock.set(TODAY)
    notice = services.withdrawal_file(for_org(org), org)
    before = _counts()
    login_staff(client, reviewer)
    page = client.post(f"/admin/members/withdrawalnotice/{notice.pk}/acknowledge/",
                       {"effective_date": (TODAY - timedelta(days=5)).isoformat()})
    assert page.status_code == 200 and "不能追溯到" in page.content.decode()
    api = token_client(reviewer).post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/",
                                      {"effective_date": (TODAY - timedelta(days=5)).isoformat()}, format="json")
    assert api.status_code == 400 and api.json()["error"]["code"] == "withdrawal_backdated"
    assert _counts() == before
    assert registry_inconsistencies() == []
