"""No staff power without the second factor, whatever checks it: the request's user is restricted.

The project policy reads ``staff_verified``; this guard is the floor under it. Django answers ``has_perm``
with True for any active superuser before asking a backend, so a backend veto alone leaves superusers
out: instead, for a staff account whose session (or API token) has not passed the second factor, the
request's user object answers every permission question with False. Nothing is saved: only this
request's in-memory object is changed, so a later verified login has its powers back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import LazyObject, SimpleLazyObject, empty


def _unwrap(user: Any) -> Any:
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def _no_perm(*args: Any, **kwargs: Any) -> bool:
    return False


def session_verified(user: Any) -> bool:
    """The request's user passed the second factor (django-otp's ``is_verified``; False when absent)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def staff_verified(user: Any) -> bool:
    """True only for an active staff account whose session or token passed the second factor.

    ``is_verified`` is set by django-otp's middleware on session users and by the token authentication
    (True only for a token whose ``grants_staff`` holds); a user object from elsewhere has none: False.
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
            and getattr(user, "is_staff", False)):
        return False
    return session_verified(user)


def restrict_unless_verified(user: Any) -> Any:
    """The same user, without any permission unless it is staff verified with the second factor."""
    user = _unwrap(user)
    if getattr(user, "is_staff", False) and not staff_verified(user):
        user.has_perm = _no_perm
        user.has_perms = _no_perm
        user.has_module_perms = _no_perm
        user.get_all_permissions = lambda obj=None: set()
        user.second_factor_missing = True
    return user


class SecondFactorGuardMiddleware:
    """After django-otp's middleware: the session's user loses staff permissions until verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        inner = request.user
        request.user = SimpleLazyObject(lambda: restrict_unless_verified(inner))  # type: ignore[assignment]
        return self.get_response(request)
