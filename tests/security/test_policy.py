"""The holes issue 15 closed, each with a test that fails if it reopens, and the policy's own rules.

1. A superuser signed in through the e-mail login with the password alone has no staff power: no
   other company's documents, no bulletin published, no complaint moved.
2. A staff account without a second-factor device, with a plain API token, moves no application and
   acknowledges no withdrawal.
3. A reviewer signed in with the password alone cannot withdraw a member's proposal in the portal.
4. Token requests: the policy reads the token's scope; a read-only token never writes.
"""

from __future__ import annotations

from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintEvent, ComplaintState
from convention.amendments.models import ProposalEvent, ProposalState
from members import services
from members.core.errors import PermissionDenied
from members.core.policy import SYSTEM, Actor, actor_from_request, allows, authorize, table_rows
from members.models import ApplicationEvent, ApplicationState, Document, MembershipEvent, WithdrawalState
from members.publications.models import Publication
from members.selectors import registry_inconsistencies
from tests.complaints.conftest import REPORTER
from tests.convention.amendment_helpers import member_proposal, signatories
from tests.factories import make_application, make_signatory
from tests.helpers import act, for_org, staff_device, token_client

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # the factories' password


def _email_login(client, user) -> None:
    """The portal's e-mail login (allauth), password only: what a careless superuser would do."""
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


@pytest.fixture
def submitted(org_a, rep_a):
    app = make_application(org_a, rep_a)
    return services.application_submit(act(rep_a), app)


def test_a_password_only_superuser_opens_no_document_publishes_nothing_and_moves_no_complaint(
        client, superuser, submitted, org_a):
    from complaints import services as complaint_services

    staff_device(superuser)  # even with a device enrolled: this session never used it
    filed = complaint_services.complaint_file(act(), organisation=make_signatory(), description="强制签到", **REPORTER)
    _email_login(client, superuser)
    doc = submitted.current_document(Document.Kind.BUSINESS_LICENCE)
    assert client.get(f"/documents/{doc.pk}/").status_code == 404
    publish = client.post("/api/v1/bulletins/publish-now/", {"period": "2025-01"}, content_type="application/json")
    assert publish.status_code == 403 and not Publication.objects.exists()
    moved = client.post(f"/api/v1/complaints/{filed.complaint.pk}/start-verification/")
    assert moved.status_code == 403
    assert Complaint.objects.get().state == ComplaintState.RECEIVED
    assert ComplaintEvent.objects.filter(complaint=filed.complaint).count() == 1
    approve = client.post(f"/api/v1/applications/{submitted.pk}/start-review/")
    assert approve.status_code == 403
    # The admin itself asks for the second factor.
    assert client.get("/admin/").status_code == 302


def test_a_staff_account_without_a_device_moves_nothing_with_a_plain_token(reviewer, submitted, org_b):
    member = make_signatory(org_b)
    notice = services.withdrawal_file(for_org(member), member)
    api = token_client(reviewer, write=True)  # a write token from a session without the second factor
    events = ApplicationEvent.objects.count(), MembershipEvent.objects.count()
    assert api.post(f"/api/v1/applications/{submitted.pk}/start-review/").status_code == 403
    assert api.post(f"/api/v1/withdrawals/{notice.pk}/acknowledge/", {}, format="json").status_code == 403
    submitted.refresh_from_db()
    notice.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED and notice.state == WithdrawalState.FILED
    assert (ApplicationEvent.objects.count(), MembershipEvent.objects.count()) == events
    member.refresh_from_db()
    assert member.is_signatory and registry_inconsistencies() == []


@pytest.mark.parametrize("who", ["reviewer", "publisher"])  # the publisher even holds change_proposal
def test_a_password_only_staff_member_cannot_withdraw_a_members_proposal(client, who, request):
    staff = request.getfixturevalue(who)
    orgs = signatories(12)
    proposal = member_proposal(orgs[0][1])
    for _org, rep in orgs[1:2]:
        from convention.amendments import services as amendment_services

        amendment_services.proposal_sponsor(act(rep), proposal)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    before = ProposalEvent.objects.filter(proposal=proposal).count()
    client.force_login(staff)  # password only
    client.post(f"/portal/amendments/proposals/{proposal.pk}/withdraw/")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.QUALIFIED
    assert ProposalEvent.objects.filter(proposal=proposal).count() == before


def test_only_a_verified_staff_session_or_a_staff_token_has_staff_standing(rf, reviewer, submitted):
    request = rf.post("/")
    request.user = reviewer
    request.user.is_verified = lambda: False  # what django-otp's middleware sets for a password-only session
    assert not allows(actor_from_request(request), "application.start_review", submitted)
    request.user.is_verified = lambda: True
    assert allows(actor_from_request(request), "application.start_review", submitted)

    class Token:
        pk, grants_staff, writable = 7, True, False

    token_request = rf.post("/")
    token_request.user, token_request.auth = reviewer, Token()
    actor = actor_from_request(token_request)
    assert (actor.token_id, actor.staff_verified, actor.writable) == (7, True, False)
    with pytest.raises(PermissionDenied) as refused:
        authorize(actor, "application.start_review", submitted)
    assert refused.value.code == "token_read_only"  # a read-only token never writes, whatever it grants
    assert allows(actor, "document.view", submitted.current_document(Document.Kind.SEALED_PAGE))


def test_a_plain_superuser_account_without_standing_is_refused_everywhere(superuser, submitted):
    for action in ("application.start_review", "withdrawal.acknowledge", "complaint.start_verification",
                   "publication.request", "proposal.withdraw", "document.view", "dispute.withdraw"):
        assert not allows(Actor(user=superuser), action, submitted), action
    assert allows(Actor(user=superuser, staff_verified=True), "publication.request")


def test_jobs_act_as_the_executive_body_never_as_a_member(org_a):
    assert allows(SYSTEM, "publication.claim") and allows(SYSTEM, "application.approve")
    assert not allows(SYSTEM, "withdrawal.file", org_a) and not allows(SYSTEM, "ballot.cast")
    assert not allows(Actor(user=None), "publication.claim")


def test_every_action_of_the_table_is_declared_once_and_printable():
    rows = table_rows()
    assert len({action for action, _who, _implies in rows}) == len(rows) > 50
    assert all(who for _action, who, _implies in rows)


def test_a_granted_consequence_is_no_door_of_its_own(org_a, reviewer):
    """Approving starts a membership; nobody gets ``membership.start`` from the review permission alone."""
    member = make_signatory(org_a, on=date(2025, 1, 2))
    with pytest.raises(PermissionDenied):
        services.membership_revoke(act(reviewer), member, reason="r", public_notice="n")
    assert act(reviewer).granting(["membership.revoke"]).grants == frozenset({"membership.revoke"})
    assert APIClient().post("/api/v1/withdrawals/1/acknowledge/").status_code == 401


def test_every_action_the_code_names_is_declared_in_the_table():
    """A literal action passed to ``authorize``/``allows`` anywhere in the project is in the table."""
    import re
    from pathlib import Path

    from members.core.policy import TABLE

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"\b(?:authorize|allows)\(\s*[\w.]+,\s*\"([a-z_]+\.[a-z_]+)\"")
    named = {match for app in ("members", "convention", "complaints")
             for path in (root / app).rglob("*.py") for match in pattern.findall(path.read_text("utf-8"))}
    assert len(named) > 40  # the pattern still finds the calls
    assert sorted(named - TABLE.keys()) == []


def test_the_policy_table_command_prints_every_action():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("policy_table", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(table_rows()) + 2
    assert any(line.startswith("| `token.issue` | a signed-in account, in a session") for line in lines)
