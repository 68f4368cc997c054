"""Login lockout (django-axes) for every login form: the admin's and allauth's e-mail login."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account name a login attempt is for, whichever form sent it.

    The admin posts ``username``; allauth authenticates with ``email`` (its form field is ``login``).
    """
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in ("username", "email", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, skipped only for calls without a request (``Client.login`` in tests, shell).

    Every login over HTTP passes its request, so every form is covered.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,  # type: ignore[override]
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SecondFactorPermissionBackend:
    """Staff permissions count only in a session verified with the second factor.

    A staff account that signed in with its password alone (e.g. through the e-mail login) is, for
    every permission check in the request, an account without permissions: it cannot open another
    organisation's documents or any staff page outside the admin either. Checks on user objects that
    did not come through a request (services, commands, tests) are not affected. (Active superusers
    bypass backends in Django; the admin itself still requires the second factor of them.)
    """

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> None:
        return None

    def _veto(self, user_obj: Any) -> None:
        is_verified = getattr(user_obj, "is_verified", None)
        if getattr(user_obj, "is_staff", False) and callable(is_verified) and not is_verified():
            raise PermissionDenied

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        self._veto(user_obj)
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        self._veto(user_obj)
        return False
