"""Colleagues: invite by e-mail, accept with the invited account, remove."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import Invitation, Representative
from members.portal import services as portal_services
from tests.factories import make_representative
from tests.helpers import act

pytestmark = pytest.mark.django_db


def test_invite_accept_and_remove(client_a, org_a, rep_a, newcomer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("portal:team"), {"email": "New@Example.org"})
    assert response.status_code == 302
    inv = Invitation.objects.get()
    assert inv.email == "new@example.org" and inv.organisation == org_a
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    match = re.search(r"https?://\S+/portal/invitations/accept/\S+/", str(mail.outbox[0].body))
    assert match is not None
    link = match.group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    client = Client()
    client.force_login(newcomer)
    response = client.post("/" + path)
    assert response.status_code == 302
    rep = Representative.objects.get(user=newcomer)
    assert rep.organisation == org_a and not rep.is_primary
    assert Invitation.objects.get().accepted_at is not None
    # Used once only.
    assert client.post("/" + path).status_code == 400

    # The first representative removes the colleague; the colleague's access ends.
    response = client_a.post(reverse("portal:representative_remove", args=[rep.pk]))
    assert response.status_code == 302
    assert not Representative.objects.filter(pk=rep.pk).exists()


def test_invitation_for_another_address_is_refused(client, org_a, rep_a, newcomer):
    inv = portal_services.invitation_send(act(rep_a), org_a, email="someone@example.org")
    client.force_login(newcomer)
    response = client.post(reverse("portal:invitation_accept", args=[inv.token]))
    assert response.status_code == 400 and "someone@example.org" in response.content.decode()
    assert not Representative.objects.filter(user=newcomer).exists()


def test_bad_invitations_are_refused_next_to_the_field(client_a, org_a, rep_b):
    for email, message in [("not-an-email", "合法的邮件地址"), ("rep-a@example.org", "已是本单位代表"),
                           ("rep-b@example.org", "已代表其他单位")]:
        response = client_a.post(reverse("portal:team"), {"email": email})
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html[html.index('for="id_email"'):], email
    assert not Invitation.objects.exists()


def test_revoke_and_cannot_remove_self(client_a, org_a, rep_a):
    inv = portal_services.invitation_send(act(rep_a), org_a, email="x@example.org")
    client_a.post(reverse("portal:invitation_revoke", args=[inv.pk]))
    assert Invitation.objects.get().revoked_at is not None
    own = Representative.objects.get(user=rep_a)
    response = client_a.post(reverse("portal:representative_remove", args=[own.pk]), follow=True)
    assert "不能移除自己" in response.content.decode()
    assert Representative.objects.filter(pk=own.pk).exists()


def test_removing_primary_passes_the_role_on(org_a, rep_a):
    second = make_representative(org_a, "second@example.org")
    third = make_representative(org_a, "third@example.org")
    primary = Representative.objects.get(user=rep_a)
    portal_services.representative_remove(act(third), org_a, representative_id=primary.pk)
    assert Representative.objects.get(user=second).is_primary


def test_expired_invitation_is_refused(client, org_a, rep_a, newcomer):
    from datetime import timedelta

    from members.core import clock

    inv = portal_services.invitation_send(act(rep_a), org_a, email=newcomer.email)
    Invitation.objects.filter(pk=inv.pk).update(created_at=clock.now() - timedelta(days=15))
    client.force_login(newcomer)
    response = client.post(reverse("portal:invitation_accept", args=[inv.token]))
    assert response.status_code == 400 and "已过期" in response.content.decode()
    assert not Representative.objects.filter(user=newcomer).exists()
