"""Login lockout (django-axes) for every login form: the staff login and allauth's e-mail login."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
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
