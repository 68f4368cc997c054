"""Login lockout (admin and allauth), the admin's second factor and TOTP enrolment."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from tests.helpers import login_staff, staff_device

PASSWORD = "correct-horse-battery"


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _admin_post(client, username: str, password: str, token: str = "", ip: str = "127.0.0.1"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password,
                                                       "otp_token": token}, REMOTE_ADDR=ip)


@pytest.fixture
def staff(db):
    return UserFactory(username="staff@example.org", is_staff=True, is_superuser=True)


# --- second factor ----------------------------------------------------------------------------------

def test_admin_refuses_a_password_only_session(client, staff):
    client.force_login(staff)  # first factor only
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_admin_login_without_code_is_refused_and_with_code_admitted(client, staff):
    device = staff_device(staff)
    response = _admin_post(client, staff.username, PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = _admin_post(client, staff.username, PASSWORD, "000000" if _code(device) != "000000" else "111111")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a wrong code counts, and slows the next try down
    device.throttle_reset()
    response = _admin_post(client, staff.username, PASSWORD, _code(device))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_login_staff_helper_gives_a_verified_admin_session(client, staff):
    login_staff(client, staff)
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1


def test_superuser_can_add_a_device_in_the_admin(client, staff):
    login_staff(client, staff)
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 200


def test_staff_without_device_enrols_with_password_then_code(client, db):
    user = UserFactory(username="new-staff@example.org", is_staff=True)
    url = reverse("otp_enrol")
    assert "password" in client.get(url).content.decode()
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session  # not logged in yet
    page = client.get(url).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in page and re.search(r"[A-Z2-7]{32}", page)
    assert "<script" not in page and 'style="' not in page
    response = client.post(url, {"otp_token": "12345"})
    assert response.status_code == 200 and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code delays the next try; the user retypes a moment later
    response = client.post(url, {"otp_token": _code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code in (200, 302)  # verified session (302 only if no perms)
    assert client.get("/admin/").wsgi_request.user.is_verified()


def test_enrolment_refuses_staff_with_a_device_and_non_staff(client, staff):
    staff_device(staff)
    url = reverse("otp_enrol")
    client.post(url, {"username": staff.username, "password": PASSWORD})
    assert "otp_enrol_user" not in "".join(client.session.keys())
    assert not TOTPDevice.objects.filter(user=staff, confirmed=False).exists()
    rep = UserFactory(username="rep@example.org")
    client.post(url, {"username": rep.username, "password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=rep).exists()


# --- lockout ----------------------------------------------------------------------------------------

def test_flood_of_admin_logins_locks_the_account_at_that_address(client, staff):
    device = staff_device(staff)
    statuses = [_admin_post(client, staff.username, "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    response = _admin_post(client, staff.username, PASSWORD, _code(device))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Somebody else's address is not locked out (nobody can lock a colleague out from elsewhere).
    other = client.__class__()
    assert _admin_post(other, staff.username, PASSWORD, _code(device), ip="10.0.0.9").status_code == 302


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
