"""Personal API tokens: issued from a session only, stored as a hash, scoped, expiring, revocable by
their owner (portal, API) and by staff (admin), every token request attributed in the audit log."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from members.audit.models import AuditEntry
from members.audit.tokens.models import ApiToken
from members.audit.tokens.services import token_create
from members.core.errors import DomainError
from members.core.policy import actor_for
from members.models import WithdrawalNotice
from tests.factories import UserFactory, make_application
from tests.helpers import api_token, for_org, login_staff, staff_device, token_client

pytestmark = pytest.mark.django_db


def bearer(plaintext: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return api


def session_api(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


# --- issuing --------------------------------------------------------------------------------------------

def test_it_issues_a_token_from_a_session_shows_it_once_and_stores_only_its_hash(rep_a):
    api = session_api(rep_a)
    response = api.post("/api/v1/tokens/", {"name": "报送系统", "scope": "write"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    plaintext = body["token"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert plaintext not in stored and not any(plaintext in v for v in stored)
    assert plaintext.startswith(f"rgt_{token.prefix}_") and body["masked"] == f"rgt_{token.prefix}_…"
    assert token.expires_at - token.created_at == timedelta(days=90)
    assert (token.scope, token.user, token.created_in_verified_session) == ("write", rep_a, False)
    listed = api.get("/api/v1/tokens/").json()
    assert [t["id"] for t in listed] == [token.pk] and "token" not in listed[0]
    entry = AuditEntry.objects.get(action="token_create")
    assert entry.actor_id == rep_a.pk and entry.object_id == str(token.pk) and "key_hash" not in entry.after


def test_a_token_never_issues_a_token(rep_a):
    _token, plaintext = api_token(rep_a)
    response = bearer(plaintext).post("/api/v1/tokens/", {"name": "x", "scope": "write"}, format="json")
    assert response.status_code == 403 and ApiToken.objects.count() == 1


def test_lifetime_is_bounded_and_configurable(rep_a, settings):
    api = session_api(rep_a)
    too_long = api.post("/api/v1/tokens/", {"name": "x", "expires_in_days": 366}, format="json")
    assert too_long.status_code == 400 and "expires_in_days" in too_long.json()["error"]["fields"]
    settings.API_TOKEN_DEFAULT_DAYS, settings.API_TOKEN_MAX_DAYS = 7, 30
    token = ApiToken.objects.get(pk=api.post("/api/v1/tokens/", {"name": "x"}, format="json").json()["id"])
    assert token.expires_at - token.created_at == timedelta(days=7) and token.scope == "read"
    with pytest.raises(DomainError):
        token_create(actor_for(rep_a), name="x", expires_in_days=31)


def test_a_staff_token_carries_staff_powers_only_from_a_verified_session(reviewer):
    staff_device(reviewer)
    plain = session_api(reviewer).post("/api/v1/tokens/", {"name": "x", "scope": "write"}, format="json").json()
    assert plain["created_in_verified_session"] is False and plain["grants_staff"] is False
    verified = APIClient()
    login_staff(verified, reviewer)
    body = verified.post("/api/v1/tokens/", {"name": "y", "scope": "write"}, format="json").json()
    assert body["created_in_verified_session"] is True and body["grants_staff"] is True
    read = verified.post("/api/v1/tokens/", {"name": "z", "scope": "read"}, format="json").json()
    assert read["grants_staff"] is False  # staff powers need the write scope
    token = ApiToken.objects.get(pk=body["id"])
    reviewer.is_staff = False
    reviewer.save()
    token.refresh_from_db()
    assert not token.grants_staff  # the owner is no longer staff


# --- using ---------------------------------------------------------------------------------------------

def test_expired_revoked_and_unknown_tokens_get_a_clear_localised_401(rep_a):
    token, plaintext = api_token(rep_a)
    assert bearer(plaintext).get("/api/v1/tokens/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1),
                                                created_at=timezone.now() - timedelta(days=2))
    expired = bearer(plaintext).get("/api/v1/tokens/")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token_expired"
    assert expired["WWW-Authenticate"].startswith("Bearer")
    assert "过期" in expired.json()["error"]["message"]
    english = bearer(plaintext).get("/api/v1/tokens/", HTTP_ACCEPT_LANGUAGE="en")
    assert "expired" in english.json()["error"]["message"]

    other, other_plain = api_token(rep_a)
    session_api(rep_a).post(f"/api/v1/tokens/{other.pk}/revoke/")
    revoked = bearer(other_plain).get("/api/v1/organizations/")
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "token_revoked"
    forged = bearer(other_plain[:-4] + "AAAA").get("/api/v1/organizations/")
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "token_invalid"
    assert bearer("not-a-token").get("/api/v1/organizations/").status_code == 401


def test_a_read_token_cannot_write(rep_a):
    _token, plaintext = api_token(rep_a, scope="read")
    api = bearer(plaintext)
    assert api.get("/api/v1/tokens/").status_code == 200
    response = api.post("/api/v1/portal/withdrawals/", {"reason": "x"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "token_read_only"
    assert not WithdrawalNotice.objects.exists()
    assert AuditEntry.objects.get(action="token_use").note.endswith("-> 403")


def test_last_used_is_written_at_most_once_a_minute(rep_a):
    token, plaintext = api_token(rep_a)
    api = bearer(plaintext)
    api.get("/api/v1/tokens/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get("/api/v1/tokens/")
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    api.get("/api/v1/tokens/")
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_every_change_made_with_a_token_names_the_actor_and_the_token(reviewer):
    from members import services

    app = services.application_submit(*_submittable())
    api = token_client(reviewer)
    token = ApiToken.objects.get(user=reviewer)
    response = api.post(f"/api/v1/applications/{app.pk}/start-review/", HTTP_X_REQUEST_ID="req-15-abc",
                        REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entries = AuditEntry.objects.filter(request_id="req-15-abc")
    assert entries.filter(model="members.joinapplication").exists()
    for entry in entries:
        assert (entry.actor_id, entry.token_id, entry.ip) == (reviewer.pk, token.pk, "10.1.2.3"), entry
    use = entries.get(action="token_use")
    assert use.object_id == str(token.pk) and "POST" in use.note and "-> 200" in use.note


# --- revoking ------------------------------------------------------------------------------------------

def test_the_owner_revokes_through_the_api_others_cannot(rep_a, rep_b):
    token, plaintext = api_token(rep_a)
    other = session_api(rep_b).post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert other.status_code == 404 and ApiToken.objects.get(pk=token.pk).revoked_at is None
    done = session_api(rep_a).post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert done.status_code == 200 and done.json()["revoked_at"]
    again = session_api(rep_a).post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert again.status_code == 409
    entry = AuditEntry.objects.get(action="token_revoke")
    assert entry.actor_id == rep_a.pk and entry.object_id == str(token.pk)


def test_the_portal_page_lists_issues_and_revokes_own_tokens(client, rep_a, rep_b):
    theirs, _ = api_token(rep_b)
    client.force_login(rep_a)
    page = client.get("/portal/tokens/")
    assert page.status_code == 200 and "API 令牌" in page.content.decode()
    created = client.post("/portal/tokens/", {"name": "统计脚本", "scope": "read", "expires_in_days": 30})
    html = created.content.decode()
    token = ApiToken.objects.get(user=rep_a)
    plaintext = created.context["plaintext"]
    assert plaintext in html and token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert theirs.masked not in html
    again = client.get("/portal/tokens/").content.decode()
    assert plaintext not in again and token.masked in again  # shown once
    too_long = client.post("/portal/tokens/", {"name": "x", "scope": "read", "expires_in_days": 999})
    assert too_long.status_code == 400 and ApiToken.objects.filter(user=rep_a).count() == 1
    client.post(f"/portal/tokens/{theirs.pk}/revoke/")
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    client.post(f"/portal/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_staff_list_and_revoke_tokens_in_the_admin_but_never_see_or_add_one(client, superuser, rep_a):
    token, plaintext = api_token(rep_a)
    login_staff(client, superuser)
    listing = client.get("/admin/audit/apitoken/").content.decode()
    assert token.masked in listing and plaintext not in listing and token.key_hash not in listing
    assert client.get("/admin/audit/apitoken/add/").status_code == 403
    client.post("/admin/audit/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == superuser
    assert AuditEntry.objects.filter(action="token_revoke", actor_id=superuser.pk).exists()


def test_old_drf_tokens_are_gone(rep_a):
    # DRF's authtoken app is removed: the old "Token <40 hex>" keys are not accepted any more.
    assert bearer("0" * 40).get("/api/v1/tokens/").status_code == 401
    assert UserFactory()


def test_a_verified_staff_member_issues_a_staff_token_on_the_portal_page(client, reviewer):
    login_staff(client, reviewer)
    client.post("/portal/tokens/", {"name": "审核脚本", "scope": "write", "expires_in_days": 30})
    token = ApiToken.objects.get(user=reviewer)
    assert token.created_in_verified_session and token.grants_staff
    client.logout()
    client.force_login(reviewer)  # password only
    client.post("/portal/tokens/", {"name": "另一个", "scope": "write", "expires_in_days": 30})
    assert not ApiToken.objects.get(user=reviewer, name="另一个").grants_staff


def test_the_audit_log_can_be_searched_by_token(client, superuser, reviewer):
    token, plaintext = api_token(reviewer)
    bearer(plaintext).post("/api/v1/applications/999999/start-review/")
    login_staff(client, superuser)
    page = client.get(f"/admin/audit/auditentry/?q={token.pk}")
    assert page.status_code == 200 and "token_use" in page.content.decode()
    assert client.get("/admin/audit/auditentry/?q=not-a-number").status_code == 200


def _submittable():
    """A complete draft and the actor of its applicant (the applicant's own move)."""
    app = make_application()
    return for_org(app.organisation), app
