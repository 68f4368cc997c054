"""The demo cases load on top of seed_demo and leave the register consistent."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from complaints.models import Complaint, Dispute, InternalNotice
from members.models import MembershipStatus
from members.selectors import registry_inconsistencies


def test_it_loads_demo_cases_once(db):
    call_command("seed_demo", orgs=30, seed=7, stdout=StringIO())
    out = StringIO()
    call_command("seed_complaints_demo", stdout=out)
    assert Complaint.objects.count() == 4 and InternalNotice.objects.count() == 1 and Dispute.objects.count() == 1
    revoked = Complaint.objects.exclude(revocation_event=None).get()
    assert revoked.organisation.status == MembershipStatus.REVOKED
    assert registry_inconsistencies() == []
    assert "Tracking code" in out.getvalue()
    call_command("seed_complaints_demo", once=True, stdout=StringIO())
    assert Complaint.objects.count() == 4
