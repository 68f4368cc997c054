"""One set of objects for the access matrix: two signatories with representatives, staff of each group,
and one object of every kind a URL names (application, withdrawal, proposal, ballot, case, dispute ...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from complaints import services as complaints
from convention.amendments import services as amendments
from members import services as members
from members.core import clock
from members.core.policy import actor_for
from members.groups import COMPLAINT_OFFICER, PUBLISHER, REVIEWER
from members.models import Invitation, Notification, Representative
from members.portal import services as portal
from members.publications.models import Publication
from members.publications.services import publication_request
from tests.complaints.test_evidence import png_with_text
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_application,
    make_representative,
    make_signatory,
)
from tests.helpers import act, api_token, for_org, token_client


@dataclass
class World:
    users: dict[str, Any]
    ids: dict[str, Any]
    org_ids: list[int]


def _staff(name: str, group: str | None = None, **extra: Any) -> Any:
    user = UserFactory(username=f"{name}@matrix.example.org", is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def build_world(*, minimal: bool = False) -> World:
    users = {
        "plain": UserFactory(username="plain@matrix.example.org"),
        "reviewer": _staff("reviewer", REVIEWER), "officer": _staff("officer", COMPLAINT_OFFICER),
        "publisher": _staff("publisher", PUBLISHER), "superuser": _staff("root", is_superuser=True),
    }
    org_a, org_b = make_signatory(OrganisationFactory()), make_signatory(OrganisationFactory())
    users["rep_a"], users["rep_b"] = make_representative(org_a), make_representative(org_b)
    if minimal:
        return World(users, {}, [org_a.pk, org_b.pk])
    rep_a, rep_b = act(users["rep_a"]), act(users["rep_b"])
    officer, publisher = act(users["officer"]), act(users["publisher"])
    app_a = make_application(org_a, users["rep_a"])
    org_c = OrganisationFactory()
    app_c = members.application_submit(for_org(org_c), make_application(org_c))
    notice_b = members.withdrawal_file(rep_b, org_b)
    colleague, colleague2 = make_representative(org_a), make_representative(org_a)
    invitation = portal.invitation_send(rep_a, org_a, email="invitee@matrix.example.org")
    draft = amendments.proposal_create(rep_a, title="草稿", rationale="理由",
                                       changes=[{"kind": "remove", "article_number": 4}])
    proposal = amendments.proposal_submit(rep_a, amendments.proposal_create(
        rep_a, title="修订", rationale="理由", changes=[{"kind": "remove", "article_number": 3}]))
    executive = amendments.proposal_create(publisher, title="执行机构", rationale="理由", executive=True,
                                           changes=[{"kind": "remove", "article_number": 5}])
    amendments.proposal_submit(publisher, executive)
    ballot = amendments.ballot_open(publisher, executive, deadline=clock.now() + timedelta(days=7))
    complaint = complaints.complaint_file(act(), organisation=org_a, description="强制签到", evidence=[
        SimpleUploadedFile("e.png", png_with_text(), content_type="image/png")]).complaint
    decided = complaints.complaint_file(act(), organisation=org_a, description="另一举报").complaint
    complaints.complaint_start_verification(officer, decided)
    complaints.complaint_substantiate(officer, decided, finding="属实")
    order = complaints.correction_order_issue(officer, decided, requirement="整改",
                                              deadline=clock.today() + timedelta(days=10))
    internal = complaints.internal_notice_issue(officer, decided, title="通报", body="内容")
    dispute = complaints.dispute_request(rep_a, respondent=org_b, subject="争议", description="情况")
    bulletin, _created = publication_request(act(), period_start=date(2025, 1, 1), period_end=date(2025, 1, 31),
                                             queue=False)
    # Marked published without rendering (a test shortcut): requeueing it is refused after the door.
    Publication.objects.filter(pk=bulletin.pk).update(state="published", published_at=clock.now())
    token_a, _plaintext = api_token(users["rep_a"], scope="write")
    ids = {
        "org_a": org_a.pk, "uscc_a": org_a.uscc, "uscc_b": org_b.uscc, "app_a": app_a.pk, "app_c": app_c.pk,
        "doc_a": app_a.documents.first().pk, "notice_b": notice_b.pk,
        "note_a": Notification.objects.filter(organisation=org_a).first().pk if Notification.objects.filter(
            organisation=org_a).exists() else members.notify(org_a, "test", "s", "b").pk,
        "colleague_a": Representative.objects.get(user=colleague).pk,
        "colleague_a2": Representative.objects.get(user=colleague2).pk, "invitation_a": invitation.pk,
        "invitation_token": Invitation.objects.get(pk=invitation.pk).token, "draft_a": draft.pk,
        "proposal": proposal.pk, "ballot": ballot.pk, "complaint": complaint.pk, "order_a": order.pk,
        "internal_notice": internal.pk, "bulletin": bulletin.number, "token_a": token_a.pk, "dispute": dispute.pk, "evidence": complaint.evidence.first().pk,
        "details_a": org_a.details_versions.order_by("-id").first().pk,
    }
    return World(users, ids, [org_a.pk, org_b.pk, org_c.pk])


def token_clients(world: World) -> dict[str, APIClient]:
    """The token kinds of the matrix, real personal tokens (members.audit.tokens)."""
    from datetime import timedelta

    from django.utils import timezone

    from members.audit.tokens.models import ApiToken
    from members.audit.tokens.services import token_revoke
    from tests.helpers import api_token

    def bearer(plaintext: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        return client

    rep_a = world.users["rep_a"]
    expired, expired_key = api_token(rep_a, scope="write")
    now = timezone.now()
    ApiToken.objects.filter(pk=expired.pk).update(created_at=now - timedelta(days=10), expires_at=now - timedelta(days=1))
    revoked, revoked_key = api_token(rep_a, scope="write")
    token_revoke(actor_for(rep_a), revoked.pk)
    return {
        "token_read": token_client(rep_a, write=False),
        "token_write": token_client(rep_a, write=True),
        "token_expired": bearer(expired_key), "token_revoked": bearer(revoked_key),
        # A write token a staff member made in a session without the second factor: no staff power.
        "token_staff_no2fa": token_client(world.users["reviewer"], write=True),
    }
