"""Test helpers shared by every app's tests."""

from __future__ import annotations

from typing import Any


def staff_device(user: Any) -> Any:
    """The user's confirmed TOTP device (created when missing): the admin's second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def login_staff(client: Any, user: Any) -> Any:
    """Log a staff member into the admin through the test client (all admin tests use this).

    The admin requires a second factor (django-otp): the session is logged in and OTP-verified with
    the user's TOTP device, as after a real login with a current code.
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    device = staff_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def token_client(user: Any) -> Any:
    """A DRF client authenticating as ``user`` with a real API token, as machines do."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an API error in the one shared shape, with a message (and ``code`` when given)."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    if code is not None:
        assert error["code"] == code
    return error
