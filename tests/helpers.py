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


def token_client(user: Any, *, write: bool = False, staff: bool = False) -> Any:
    """A DRF client authenticating as ``user`` with an API token, as machines do.

    Without options: DRF's legacy ``Token`` (a real token header): read-only and no staff power under
    the policy. With ``write``/``staff``: a token with that scope (``writable``, ``grants_staff``), the
    attributes the policy reads from ``request.auth``. Until the personal token model lands this is a
    stand-in object passed through DRF's ``force_authenticate``; swap it for a real token then.
    """
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    if not (write or staff):
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client
    client.force_authenticate(user=user, token=ScopedToken(writable=write or staff, grants_staff=staff))
    return client


class ScopedToken:
    """Stand-in for a personal API token: the two attributes ``members.core.policy`` reads."""

    pk = None

    def __init__(self, *, writable: bool, grants_staff: bool) -> None:
        self.writable, self.grants_staff = writable, grants_staff


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an API error in the one shared shape, with a message (and ``code`` when given)."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    if code is not None:
        assert error["code"] == code
    return error
