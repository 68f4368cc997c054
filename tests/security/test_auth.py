"""The staff login with the second factor (django-two-factor-auth), enrolment, backup codes, device
reset, and login lockout on both login forms. Codes are computed from the device key (no mocks)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.audit.models import AuditEntry
from members.audit.twofactor import services as twofactor
from members.core.errors import PermissionDenied
from members.core.policy import actor_for
from tests.factories import UserFactory
from tests.helpers import login_staff, staff_device

PASSWORD = "correct-horse-battery"
LOGIN = "/security/login/"
STEP = "staff_login_view-current_step"


def code(device: TOTPDevice) -> str:
    """The device's current code, as the staff member's phone shows it."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def fresh(device: TOTPDevice) -> TOTPDevice:
    """Let the device accept this time step's code again (each login in a test needs a new one)."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttle_reset(commit=False)
    device.save()
    return device


def password_step(client: Any, username: str, password: str = PASSWORD, ip: str = "127.0.0.1",
                  next_url: str = "/admin/") -> Any:
    return client.post(f"{LOGIN}?next={next_url}", {STEP: "auth", "auth-username": username,
                                                    "auth-password": password}, REMOTE_ADDR=ip)


def token_step(client: Any, token: str, ip: str = "127.0.0.1", next_url: str = "/admin/") -> Any:
    return client.post(f"{LOGIN}?next={next_url}", {STEP: "token", "token-otp_token": token}, REMOTE_ADDR=ip)


def full_login(client: Any, user: Any, device: TOTPDevice) -> Any:
    assert password_step(client, user.username).status_code == 200
    return token_step(client, code(fresh(device)))


@pytest.fixture
def staff(db):
    return UserFactory(username="staff@example.org", is_staff=True, is_superuser=True)


# --- the admin and its login page ---------------------------------------------------------------------

def test_admin_refuses_a_password_only_session_and_sends_it_to_the_staff_login(client, staff):
    client.force_login(staff)  # first factor only
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(f"{LOGIN}?next=")
    assert response.status_code == 200 and not response.wsgi_request.user.is_verified()


def test_the_login_page_asks_for_the_email_in_chinese_and_has_no_english_otp_text(client, staff):
    page = client.get(LOGIN).content.decode()
    assert "电子邮箱" in page and 'type="email"' in page
    assert "用户名" not in page and "Username" not in page
    staff_device(staff)
    page = password_step(client, staff.username).content.decode()
    assert "动态验证码" in page
    for english in ("OTP Token", "Token", "Login", "Next", "Back"):
        assert f">{english}" not in page, english
    assert "<script" not in page


def test_the_login_page_in_english(client, staff):
    client.cookies["django_language"] = "en"
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "E-mail address" in page and "电子邮箱" not in page


def test_a_wrong_code_is_refused_and_counted_and_the_right_one_admits(client, staff):
    device = staff_device(staff)
    password_step(client, staff.username)
    wrong = "000000" if code(device) != "000000" else "111111"
    response = token_step(client, wrong)
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a wrong code counts, and slows the next try down
    response = token_step(client, code(fresh(device)))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    admin = client.get("/admin/")
    assert admin.status_code == 200 and admin.wsgi_request.user.is_verified()


def test_the_email_login_of_the_portal_never_verifies_a_staff_session(client, staff):
    staff_device(staff)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)
    page = client.get("/admin/")
    assert page.status_code == 302 and not page.wsgi_request.user.is_verified()
    assert not page.wsgi_request.user.has_perm("members.view_document")  # a superuser, yet no power


def test_login_staff_helper_gives_a_verified_admin_session(client, staff):
    login_staff(client, staff)
    assert client.get("/admin/").status_code == 200


def test_a_verified_superuser_can_add_a_device_in_the_admin(client, staff):
    login_staff(client, staff)
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 200


def test_the_old_enrolment_address_leads_to_the_new_one(client, db):
    assert client.get("/security/otp/enrol/")["Location"] == reverse("two_factor:setup")


# --- enrolment ------------------------------------------------------------------------------------------

def _enrol(client: Any) -> tuple[TOTPDevice, list[str]]:
    """Walk the setup wizard with a code computed from the key it shows; returns the device and codes."""
    assert client.get(reverse("two_factor:setup")).status_code == 200
    page = client.post(reverse("two_factor:setup"), {"enrol_view-current_step": "welcome"})
    html = page.content.decode()
    assert page.status_code == 200 and 'src="/security/setup/qrcode/"' in html and "otp-secret" in html
    assert client.get("/security/setup/qrcode/").content.startswith(b"<?xml")
    key = client.session["django_two_factor-qr_secret_key"]
    assert key in html
    from base64 import b32decode

    token = totp(b32decode(key))
    done = client.post(reverse("two_factor:setup"), {"enrol_view-current_step": "generator",
                                                    "generator-token": f"{token:06d}"})
    assert done.status_code == 302 and done["Location"] == reverse("two_factor:setup_complete")
    complete = client.get(done["Location"])
    codes = list(complete.context["codes"] or [])
    return TOTPDevice.objects.filter(user=complete.wsgi_request.user).order_by("-pk").first(), codes


def test_staff_without_a_device_is_led_from_the_login_to_enrolment_and_verified_after_it(client, db):
    user = UserFactory(username="new-staff@example.org", is_staff=True)
    response = password_step(client, user.username)
    assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup")
    assert client.get("/admin/").status_code == 302  # signed in, but no staff power before a device
    device, codes = _enrol(client)
    assert device.confirmed and device.name == "default"
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get("/admin/").status_code == 200
    # The codes were shown once: the page does not show them again.
    assert client.get(reverse("two_factor:setup_complete")).context["codes"] is None
    assert AuditEntry.objects.filter(action="backup_codes_issue", actor_id=user.pk).exists()
    assert AuditEntry.objects.filter(model="otp_totp.totpdevice", action="create", actor_id=user.pk).exists()


def test_a_second_device_is_added_only_from_a_verified_session(client, staff):
    first = staff_device(staff)
    client.force_login(staff)  # password only
    response = client.get(reverse("two_factor:setup"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert TOTPDevice.objects.filter(user=staff).count() == 1
    client.logout()
    full_login(client, staff, first)
    second, _codes = _enrol(client)
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 2 and second.name == "device-2"
    # Logging in with the second device: pick it, then its code.
    client.logout()
    password_step(client, staff.username)
    client.post(f"{LOGIN}?next=/admin/", {STEP: "token", "challenge_device": second.persistent_id})
    assert token_step(client, code(fresh(second))).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_non_staff_cannot_enrol(client, db):
    rep = UserFactory(username="rep@example.org")
    client.force_login(rep)
    assert client.get(reverse("two_factor:setup")).status_code == 403
    assert not TOTPDevice.objects.filter(user=rep).exists()


# --- backup codes -----------------------------------------------------------------------------------------

def test_a_backup_code_opens_one_login_only(client, staff):
    device = staff_device(staff)
    full_login(client, staff, device)
    codes = client.post(reverse("two_factor:backup_tokens")).context["codes"]
    assert len(codes) == 10
    client.logout()

    def with_backup(c: Any, backup: str) -> Any:
        password_step(c, staff.username)
        c.post(f"{LOGIN}?next=/admin/", {"wizard_goto_step": "backup"})
        return c.post(f"{LOGIN}?next=/admin/", {STEP: "backup", "backup-otp_token": backup})

    assert with_backup(client, codes[0]).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    again = with_backup(client, codes[0])
    assert again.status_code == 200 and "备用码不正确或已用过" in again.content.decode()
    assert "_auth_user_id" not in client.session
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_new_backup_codes_replace_the_old_ones(client, staff):
    login_staff(client, staff)
    old = client.post(reverse("two_factor:backup_tokens")).context["codes"]
    new = client.post(reverse("two_factor:backup_tokens")).context["codes"]
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert stored == set(new) and not stored & set(old)
    assert client.get(reverse("two_factor:backup_tokens")).context["codes"] is None  # never shown again


# --- device reset ------------------------------------------------------------------------------------------

def test_a_verified_superuser_resets_a_colleagues_devices_in_the_admin_audited(client, superuser, reviewer):
    from tests.helpers import api_token

    staff_device(reviewer)
    twofactor.backup_codes_issue(reviewer)
    token, _plain = api_token(reviewer)
    assert token.grants_staff
    login_staff(client, superuser)
    response = client.post("/admin/auth/user/", {"action": "reset_second_factor",
                                                 "_selected_action": [reviewer.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticToken.objects.filter(device__user=reviewer).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.grants_staff
    entry = AuditEntry.objects.get(action="otp_reset", object_id=str(reviewer.pk))
    assert entry.actor_id == superuser.pk and "1 tokens revoked" in entry.note
    # Its next login leads to enrolment again.
    client.logout()
    assert password_step(client, reviewer.username)["Location"] == reverse("two_factor:setup")


def test_only_a_verified_superuser_resets_devices(rf, superuser, reviewer):
    staff_device(reviewer)
    with pytest.raises(PermissionDenied):
        twofactor.devices_reset(actor_for(superuser), reviewer)  # no verified session
    with pytest.raises(PermissionDenied):
        twofactor.devices_reset(actor_for(reviewer, staff_verified=True), superuser)  # verified, not a superuser
    superuser_device = staff_device(superuser)
    with pytest.raises(PermissionDenied):  # never its own devices, even verified
        twofactor.devices_reset(actor_for(superuser, staff_verified=True), superuser)
    assert TOTPDevice.objects.filter(pk=superuser_device.pk).exists()
    assert TOTPDevice.objects.filter(user=reviewer).exists()
    assert not AuditEntry.objects.filter(action="otp_reset").exists()


# --- lockout ----------------------------------------------------------------------------------------------

def test_flood_of_staff_logins_locks_the_account_at_that_address(client, staff):
    device = staff_device(staff)
    statuses = [password_step(client, staff.username, "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert password_step(client, staff.username).status_code == 429
    assert "_auth_user_id" not in client.session
    # Somebody else's address is not locked out (nobody can lock a colleague out from elsewhere).
    other = client.__class__()
    assert password_step(other, staff.username, ip="10.0.0.9").status_code == 200
    assert token_step(other, code(fresh(device)), ip="10.0.0.9").status_code == 302


def test_flood_of_email_logins_locks_allauth_login(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own limiter would answer first: prove axes alone
    user = UserFactory(username="rep@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    url = reverse("account_login")
    statuses = [client.post(url, {"login": user.email, "password": "wrong-password"}).status_code
                for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=user.email).failures_since_start >= 5


def test_email_login_works_before_the_limit(client, db):
    user: Any = UserFactory(username="rep2@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert get_user_model().objects.filter(pk=user.pk).exists()
