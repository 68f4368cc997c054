"""Beat was down for a week: the next run of every scheduled duty does everything that fell due, once
(ballot closing, scheduled withdrawals, overdue correction orders, retention). The clock is moved."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints import services as complaint_services
from complaints import tasks as complaint_tasks
from convention.amendments import tasks as ballot_tasks
from convention.amendments.models import Ballot, BallotState, CloseReason
from members import services, tasks
from members.audit import tasks as audit_tasks
from members.models import MembershipStatus, Organisation
from members.selectors import registry_inconsistencies
from tests.clockwork import local
from tests.convention.amendment_helpers import ensure_version_1, executive_ballot, signatories
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import act, for_org


@pytest.mark.django_db
def test_a_week_without_beat_is_caught_up_once(filed, complaint_officer, reviewer, publisher, settings,
                                                moving_clock, django_capture_on_commit_callbacks):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RETENTION_FORMER_MEMBER_CONTACT_DAYS = 3
    ensure_version_1()
    start = moving_clock.current
    # Due during the week: a ballot deadline, two scheduled withdrawals, a correction deadline, and a
    # former member's contact details reaching the retention period.
    orgs = signatories(3)
    ballot = executive_ballot(publisher, hours=24)
    leaving = [make_signatory(OrganisationFactory()) for _ in range(2)]
    for i, org in enumerate(leaving):
        notice = services.withdrawal_file(for_org(org), org)
        services.withdrawal_acknowledge(act(reviewer), notice, effective_date=start.date() + timedelta(days=2 + i))
    gone = make_signatory(OrganisationFactory())
    services.withdrawal_acknowledge(act(reviewer), services.withdrawal_file(for_org(gone), gone))
    c = complaint_services.complaint_start_verification(act(complaint_officer), filed.complaint)
    c = complaint_services.complaint_substantiate(act(complaint_officer), c, finding="属实")
    order = complaint_services.correction_order_issue(act(complaint_officer), c, requirement="整改",
                                                      deadline=start.date() + timedelta(days=1))

    moving_clock.set(local(start.date() + timedelta(days=7)))
    assert registry_inconsistencies() != []  # the projection is behind: nothing ran for a week

    def run_all() -> dict[str, object]:
        with django_capture_on_commit_callbacks(execute=True):
            return {
                "ballots": ballot_tasks.ballots_close_due(),
                "withdrawals": tasks.memberships_apply_due(),
                "corrections": complaint_tasks.correction_orders_flag_overdue(),
                "contacts": audit_tasks.apply_retention()["former_member_contacts_anonymised"],
            }

    # Contacts: the one who left today a week ago, and the two whose scheduled ends fell due 5 and 4
    # days ago (the retention period is 3 days here).
    assert run_all() == {"ballots": 1, "withdrawals": 2, "corrections": 1, "contacts": 3}
    assert run_all() == {"ballots": 0, "withdrawals": 0, "corrections": 0, "contacts": 0}
    ballot = Ballot.objects.get(pk=ballot.pk)
    assert (ballot.state, ballot.close_reason, ballot.closed_at) == (BallotState.CLOSED, CloseReason.DEADLINE,
                                                                     ballot.deadline)
    for i, org in enumerate(leaving):
        org.refresh_from_db()
        assert (org.status, org.left_on) == (MembershipStatus.WITHDRAWN, start.date() + timedelta(days=2 + i))
    order.refresh_from_db()
    assert order.overdue_flagged_at is not None
    assert all(Organisation.objects.get(pk=o.pk).contact_email == "" for o in [gone, *leaving])
    assert all(Organisation.objects.get(pk=o.pk).contact_email for o, _rep in orgs)
    assert registry_inconsistencies() == []
