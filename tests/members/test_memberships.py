"""Membership periods, the append-only event log, the derived status and "signatories on D"."""

from __future__ import annotations

from datetime import date

import pytest

from members import services
from members.core import clock
from members.core.errors import Conflict, DomainError, TransitionNotAllowed
from members.models import MembershipEvent, MembershipStatus, WithdrawalNotice
from members.selectors import registry_inconsistencies, signatories_on, status_on
from tests.factories import OrganisationFactory, make_signatory, withdraw
from tests.helpers import act, for_org


@pytest.fixture
def fixed_today(monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 6, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment.date()


def _withdraw(org, on, staff):
    notice = services.withdrawal_file(for_org(org), org, reason="业务调整")
    return services.withdrawal_acknowledge(act(staff), notice, effective_date=on)


@pytest.mark.django_db
def test_it_answers_signatories_on_a_date_across_joins_withdrawals_and_rejoins(fixed_today, reviewer):
    a = make_signatory(on=date(2025, 1, 10))
    b = make_signatory(on=date(2025, 3, 1))
    withdraw(a, date(2025, 6, 1), staff=reviewer)
    make_signatory(a, on=date(2026, 1, 5))
    never = OrganisationFactory()

    def on(d):
        return set(signatories_on(d).values_list("pk", flat=True))

    assert on(date(2025, 1, 9)) == set()
    assert on(date(2025, 1, 10)) == {a.pk}
    assert on(date(2025, 3, 1)) == {a.pk, b.pk}
    assert on(date(2025, 5, 31)) == {a.pk, b.pk}
    assert on(date(2025, 6, 1)) == {b.pk}  # a period ends on its end date
    assert on(date(2026, 1, 4)) == {b.pk}
    assert on(date(2026, 1, 5)) == {a.pk, b.pk}
    assert status_on(a, date(2025, 7, 1)) == MembershipStatus.WITHDRAWN
    assert status_on(a, date(2026, 2, 1)) == MembershipStatus.SIGNATORY
    assert status_on(never, date(2026, 2, 1)) == MembershipStatus.NONE
    a.refresh_from_db()
    assert a.memberships.count() == 2  # the gap is kept: two periods
    assert a.status == MembershipStatus.SIGNATORY and a.joined_on == date(2026, 1, 5) and a.left_on is None
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_withdrawal_takes_effect_when_acknowledged(fixed_today, reviewer, mailoutbox):
    org = make_signatory(on=date(2025, 1, 10))
    notice = services.withdrawal_file(for_org(org), org, reason="不公开的理由")
    org.refresh_from_db()
    assert org.status == MembershipStatus.SIGNATORY
    services.withdrawal_acknowledge(act(reviewer), notice)
    org.refresh_from_db()
    notice.refresh_from_db()
    assert org.status == MembershipStatus.WITHDRAWN and org.left_on == fixed_today
    assert notice.state == "acknowledged" and notice.effective_date == fixed_today
    ev = MembershipEvent.objects.filter(organisation=org).latest("id")
    assert (ev.kind, ev.legal_basis, ev.actor) == ("withdrew", "第二十五条", reviewer)
    with pytest.raises(TransitionNotAllowed):
        services.withdrawal_acknowledge(act(reviewer), notice)
    assert MembershipEvent.objects.filter(organisation=org).count() == 2
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_withdrawal_table_is_walked_completely(fixed_today, reviewer):
    from members.models import WITHDRAWAL_TRANSITIONS, WithdrawalState

    for start in WithdrawalState:
        for action in WITHDRAWAL_TRANSITIONS:
            org = make_signatory(on=date(2025, 1, 10))
            notice = services.withdrawal_file(for_org(org), org)
            if start == WithdrawalState.ACKNOWLEDGED:
                services.withdrawal_acknowledge(act(reviewer), notice)
            elif start == WithdrawalState.CANCELLED:
                services.withdrawal_cancel(for_org(notice.organisation), notice)
            notice.refresh_from_db()
            fn = {"acknowledge": lambda n: services.withdrawal_acknowledge(act(reviewer), n),
                  "cancel": lambda n: services.withdrawal_cancel(for_org(n.organisation), n)}[action]
            before = (notice.events.count(), MembershipEvent.objects.count())
            target = WITHDRAWAL_TRANSITIONS[action].get(start)
            if target is None:
                with pytest.raises(TransitionNotAllowed):
                    fn(notice)
                notice.refresh_from_db()
                assert notice.state == start
                assert (notice.events.count(), MembershipEvent.objects.count()) == before
            else:
                fn(notice)
                notice.refresh_from_db()
                assert notice.state == target
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_forbidden_membership_moves_write_nothing(fixed_today, reviewer):
    org = make_signatory(on=date(2025, 1, 10))
    with pytest.raises(Conflict):
        services.membership_start(act(), org, effective_date=date(2025, 2, 1))
    with pytest.raises(DomainError):
        services.membership_start(act(), OrganisationFactory(), effective_date=date(2027, 1, 1))
    with pytest.raises(DomainError):  # revocation needs the public notice text
        services.membership_revoke(act(), org, reason="x", public_notice=" ")
    services.withdrawal_file(for_org(org), org)
    with pytest.raises(Conflict):
        services.withdrawal_file(for_org(org), org)
    assert WithdrawalNotice.objects.count() == 1
    assert MembershipEvent.objects.count() == 1
    outsider = OrganisationFactory()
    with pytest.raises(Conflict):
        services.withdrawal_file(for_org(outsider), outsider)
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_revocation_ends_the_membership_and_cancels_a_pending_withdrawal(fixed_today, complaint_officer):
    org = make_signatory(on=date(2025, 1, 10))
    notice = services.withdrawal_file(for_org(org), org)
    ev = services.membership_revoke(act(), org, reason="查证属实",
                                    public_notice="违反第十四条，取消成员资格并向社会通报。")
    org.refresh_from_db()
    notice.refresh_from_db()
    assert org.status == MembershipStatus.REVOKED and ev.public_notice.startswith("违反第十四条")
    assert notice.state == "cancelled"
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_events_are_append_only(fixed_today):
    org = make_signatory(on=date(2025, 1, 10))
    ev = MembershipEvent.objects.get(organisation=org)
    ev.reason = "changed"
    with pytest.raises(TypeError):
        ev.save()
    with pytest.raises(TypeError):
        ev.delete()
    with pytest.raises(TypeError):
        MembershipEvent.objects.filter(pk=ev.pk).update(reason="x")
    with pytest.raises(TypeError):
        MembershipEvent.objects.all().delete()
    assert MembershipEvent.objects.get(pk=ev.pk).reason == "test"


@pytest.mark.django_db
def test_the_consistency_check_catches_a_tampered_projection(fixed_today):
    from members.models import Organisation

    org = make_signatory(on=date(2025, 1, 10))
    Organisation.objects.filter(pk=org.pk).update(status=MembershipStatus.WITHDRAWN)
    problems = registry_inconsistencies()
    assert [p.organisation_id for p in problems] == [org.pk]
    assert "status withdrawn but events say signatory" in problems[0].problem


@pytest.mark.django_db
def test_the_database_refuses_two_open_periods(fixed_today):
    from django.db import IntegrityError, transaction

    from members.models import Membership

    org = make_signatory(on=date(2025, 1, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(organisation=org, started_on=date(2025, 2, 1))


@pytest.mark.django_db
def test_a_requested_later_date_is_respected(fixed_today, reviewer):
    from datetime import timedelta

    org = make_signatory(on=date(2025, 1, 10))
    later = fixed_today + timedelta(days=30)
    notice = services.withdrawal_file(for_org(org), org, requested_date=later)
    services.withdrawal_acknowledge(act(reviewer), notice)  # today, for the date the member asked for
    notice.refresh_from_db()
    org.refresh_from_db()
    assert notice.state == "acknowledged" and notice.effective_date == later
    assert org.status == MembershipStatus.SIGNATORY and org.left_on is None  # until that day
    assert org.memberships.get().ended_on == later
    assert status_on(org, later - timedelta(days=1)) == MembershipStatus.SIGNATORY
    assert status_on(org, later) == MembershipStatus.WITHDRAWN
    assert registry_inconsistencies() == []
