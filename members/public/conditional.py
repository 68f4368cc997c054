"""Conditional requests for every public view of the register (ETag / Last-Modified, 304).

The validators come from one aggregate over the register (``register_stamp``) so a 304 never builds
a page. The ETag also covers what differs between clients on the same URL: the language, the response
format asked for, and the session and CSRF cookies (the page embeds a CSRF token and the login state).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import condition

from .selectors import RegisterStamp, register_stamp

T = TypeVar("T")


def _stamp(request: HttpRequest) -> RegisterStamp:
    cached = getattr(request, "_register_stamp", None)
    if cached is None:
        cached = register_stamp()
        request._register_stamp = cached  # type: ignore[attr-defined]
    return cached


def register_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    parts = [
        _stamp(request).token(),
        request.get_full_path(),
        get_language() or "",
        request.META.get("HTTP_ACCEPT", ""),
        request.COOKIES.get("sessionid", ""),
        request.COOKIES.get("csrftoken", ""),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def register_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    return _stamp(request).newest


def register_conditional(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer If-None-Match / If-Modified-Since with 304 before the view runs."""
    return condition(etag_func=register_etag, last_modified_func=register_last_modified)(view)


def cached_for_state(request: HttpRequest, key: str, build: Callable[[], T], timeout: int = 300) -> T:
    """Like ``cached_for_register`` for a value that does not depend on the URL (counts of a filter).

    ``key`` names the value; the register stamp is added, so the value is computed once per change.
    """
    digest = hashlib.sha256(f"{key}\n{_stamp(request).token()}".encode()).hexdigest()
    full_key = "register-state:" + digest
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    return value


def cached_for_register(request: HttpRequest, kind: str, build: Callable[[], T], timeout: int = 300) -> T:
    """Reuse what ``build`` made for the same request while the register has not changed.

    The key holds the register stamp, so any saved organisation or new event makes a new key: nothing
    stale is ever served, and popular pages (the first page, common searches) are built once per change.
    """
    parts = [kind, _stamp(request).token(), request.get_full_path(), get_language() or "",
             request.META.get("HTTP_ACCEPT", "")]
    key = "register:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


# Stands for the CSRF token in a cached page; each response gets its own token (the language form posts).
_CSRF_PLACEHOLDER = "csrf-" + "0" * 58


def cached_page(request: HttpRequest, kind: str, template: str, context: Callable[[], dict[str, Any]]) -> HttpResponse:
    """The whole page from the cache for a visitor without a session, else ``template`` rendered now.

    The page is the same for every anonymous visitor of a URL in a language except its CSRF token, so it
    is cached with a placeholder that each response replaces by a token of its own. A visitor with a
    session (signed in, or with messages waiting) gets the page rendered for them.
    """
    from django.middleware.csrf import get_token
    from django.shortcuts import render
    from django.template.loader import render_to_string

    if request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get("messages"):
        return render(request, template, context())

    def build() -> str:
        return render_to_string(template, {**context(), "csrf_token": _CSRF_PLACEHOLDER}, request=request)

    html = cached_for_register(request, "page:" + kind, build)
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))
