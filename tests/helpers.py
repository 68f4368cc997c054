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


def act(user: Any = None) -> Any:
    """The actor of a service called directly in a test: ``user`` with the standing its session would
    have once verified with the second factor (staff powers for staff); no user means the SYSTEM actor."""
    from members.core.policy import SYSTEM, Actor

    return SYSTEM if user is None else Actor(user=user, staff_verified=True)


def for_org(org: Any) -> Any:
    """The actor of one of ``org``'s representatives (one is created if it has none)."""
    from members.core.policy import Actor
    from tests.factories import make_representative

    rep = org.representatives.select_related("user").order_by("pk").first()
    return Actor(user=rep.user if rep is not None else make_representative(org))


def api_token(user: Any, *, scope: str = "write", verified: bool | None = None, days: int | None = None) -> Any:
    """A real API token of ``user`` issued by the service; returns (row, plaintext).

    ``verified`` says whether it was issued from a second-factor-verified session; by default staff
    tokens are (as an operator would issue them), so their staff powers count.
    """
    from members.audit.tokens.services import token_create

    if verified is None:
        verified = bool(user.is_staff)
        if verified:
            staff_device(user)
    from members.core.policy import actor_for

    return token_create(actor_for(user, staff_verified=verified), name="test", scope=scope, expires_in_days=days)


def token_client(user: Any, *, write: bool | None = None, staff: bool | None = None, **kwargs: Any) -> Any:
    """A DRF client authenticating as ``user`` with a real API token, as machines do (see api_token).

    ``write``/``staff`` (the authz branch's flags): ``staff`` a write token from a verified session,
    ``write`` a write token without staff powers, neither given: ``api_token``'s defaults.
    """
    from rest_framework.test import APIClient

    if write is not None or staff is not None:
        kwargs.setdefault("scope", "write" if (write or staff) else "read")
        kwargs.setdefault("verified", bool(staff))
        if staff:
            staff_device(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token(user, **kwargs)[1]}")
    return client


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an API error in the one shared shape, with a message (and ``code`` when given)."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    if code is not None:
        assert error["code"] == code
    return error
