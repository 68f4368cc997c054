"""Conditional requests for every public view of the register (ETag / Last-Modified, 304).

The validators come from one aggregate over the register (``register_stamp``) so a 304 never builds
a page. The ETag also covers what differs between clients on the same URL: the language, the response
format asked for, and the session and CSRF cookies (the page embeds a CSRF token and the login state).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import condition

from . import later
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


def _state_key(request: HttpRequest, key: str) -> str:
    return "register-state:" + hashlib.sha256(f"{key}\n{_stamp(request).token()}".encode()).hexdigest()


def prefetch_keys(request: HttpRequest, keys: set[str]) -> None:
    """Read ``keys`` (full cache keys) in one round trip, for this request's later reads."""
    flying = later.in_flight(keys)  # first: a write that ends meanwhile is in one or the other
    found = cache.get_many(list(keys))
    request._state_prefetched = (keys, {**flying, **found})  # type: ignore[attr-defined]


def _read(request: HttpRequest, key: str) -> Any:
    """The value under ``key`` (a full cache key): what this request is about to write there (``later``),
    else what ``prefetch_keys`` read, else the cache's."""
    value = later.pending(key)
    if not later.is_missing(value):
        return value
    prefetched: Any = getattr(request, "_state_prefetched", None)
    if prefetched is not None and key in prefetched[0]:
        return prefetched[1].get(key)
    return cache.get(key)


def cached_for_state(request: HttpRequest, key: str, build: Callable[[], T], timeout: int = 300) -> T:
    """Like ``cached_for_register`` for a value that does not depend on the URL (counts of a filter).

    ``key`` names the value; the register stamp is added, so the value is computed once per change.
    """
    value = state_value(request, key)
    if value is None:
        value = build()
        keep_state_value(request, key, value, timeout)
    return value


def state_value(request: HttpRequest, key: str) -> Any:
    """What ``cached_for_state`` keeps under ``key`` for the register's present state, or None."""
    return _read(request, _state_key(request, key))


def keep_state_value(request: HttpRequest, key: str, value: Any, timeout: int = 300) -> None:
    """Keep ``value`` under ``key`` for the register's present state (read by ``cached_for_state``), once
    the response has gone (``later``)."""
    later.set_later(_state_key(request, key), value, timeout)


def _register_key(request: HttpRequest, kind: str) -> str:
    parts = [kind, _stamp(request).token(), request.get_full_path(), get_language() or "",
             request.META.get("HTTP_ACCEPT", "")]
    return "register:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_for_register(request: HttpRequest, kind: str, build: Callable[[], T], timeout: int = 300) -> T:
    """Reuse what ``build`` made for the same request while the register has not changed.

    The key holds the register stamp, so any saved organisation or new event makes a new key: nothing
    stale is ever served, and popular pages (the first page, common searches) are built once per change.
    """
    key = _register_key(request, kind)
    value = _read(request, key)
    if value is None:
        value = build()
        later.set_later(key, value, timeout)
    return value


# Stand for the CSRF token, the page's own address (the language form's "next") and the content in a
# cached page or shell; each response gets its own token.
_CSRF_PLACEHOLDER = "csrf-" + "0" * 58
_NEXT_PLACEHOLDER = "next-" + "0" * 27
_CONTENT_PLACEHOLDER = "<!--content-" + "0" * 20 + "-->"
_TITLE_PLACEHOLDER = "title-" + "0" * 26


def _personal(request: HttpRequest) -> bool:
    """A visitor with a session (signed in, or with messages waiting): pages are rendered for them."""
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get("messages"))


def cached_page(request: HttpRequest, kind: str, template: str, context: Callable[[bool], dict[str, Any]],
                prefetch: tuple[str, ...] = ()) -> HttpResponse:
    """The whole page from the cache for a visitor without a session, else ``template`` rendered now.

    The page is the same for every anonymous visitor of a URL in a language except its CSRF token, so it
    is cached with a placeholder that each response replaces by a token of its own. A visitor with a
    session (signed in, or with messages waiting) gets the page rendered for them. ``context(shared)``
    gives the template's context; ``shared`` says the result goes into the shared page cache (so its
    parts need no cache of their own). ``prefetch`` names ``cached_for_state`` values the context reads,
    fetched with the page's shell in one round trip.

    For anonymous visitors the page around the content (``template`` with base.html: header, navigation,
    footer) is rendered once per language and register state, with placeholders for the content and
    the page's address, and each new URL fills it in: only the content is built per URL.
    """
    from django.middleware.csrf import get_token
    from django.shortcuts import render

    if _personal(request):
        return render(request, template, context(False))

    # The page, its shell and the values the content reads, in one round trip: a cold page needs them all.
    prefetch_keys(request, {_register_key(request, "page:" + kind),
                            *(_state_key(request, k) for k in (_shell_key(kind), *prefetch))})

    def build() -> str:
        return _filled_shell(request, kind, template, {_CONTENT_PLACEHOLDER: str(context(True)["content"])})

    html = cached_for_register(request, "page:" + kind, build)
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))


def cached_whole_page(request: HttpRequest, kind: str, template: str,
                      context: Callable[[], dict[str, Any]]) -> HttpResponse:
    """``template`` rendered once per register state, ``kind`` and URL for visitors without a session
    (with a placeholder for the CSRF token, replaced per response), else rendered now. For a page that
    is the same for every anonymous visitor of a URL: the home page."""
    from django.middleware.csrf import get_token
    from django.shortcuts import render
    from django.template.loader import render_to_string

    if _personal(request):
        return render(request, template, context())
    html = cached_for_register(request, "whole-page:" + kind, lambda: render_to_string(
        template, {**context(), "csrf_token": _CSRF_PLACEHOLDER}, request=request))
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))


def shell_page(request: HttpRequest, kind: str, template: str, content: str, title: str) -> HttpResponse:
    """``template`` (``{{ title }}`` and ``{{ content }}`` in base.html) around ``content``, markup built
    by the view: for a visitor without a session from the shell kept per language and register state
    (header, navigation and footer rendered once), else rendered now."""
    from django.middleware.csrf import get_token
    from django.shortcuts import render
    from django.utils.html import conditional_escape

    if _personal(request):
        return render(request, template, {"content": content, "title": title})
    return HttpResponse(_filled_shell(request, kind, template, {
        _CONTENT_PLACEHOLDER: str(content), _TITLE_PLACEHOLDER: str(conditional_escape(title)),
        _CSRF_PLACEHOLDER: get_token(request)}))


def _shell_key(kind: str) -> str:
    return f"page-shell:{kind}:{get_language()}"


# Shells this process has used, by their full key (kind, language, register state), for 30 s: the text
# the shared cache holds under that key, kept here too so that a profile reads no cache for it. A change
# to the register is a new key. What the key does not hold (the footer's site identity) shows within
# 30 s more than the shared cache alone would take; a save of the identity, or of a setting, forgets
# them in the process at once.
_SHELLS: dict[str, tuple[str, float]] = {}
_SHELLS_MAX = 32
_SHELLS_SECONDS = 30


def forget_shells(**kwargs: Any) -> None:
    _SHELLS.clear()


setting_changed.connect(forget_shells, dispatch_uid="public-forget-shells")


def _filled_shell(request: HttpRequest, kind: str, template: str, values: dict[str, str]) -> str:
    """The shell of ``template`` (kept per language and register state) with this page's address and
    ``values`` put in for their placeholders, in one pass: a placeholder's text inside the content is
    never replaced."""
    from django.template.loader import render_to_string
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    full_key = _state_key(request, _shell_key(kind))
    kept = _SHELLS.get(full_key)
    now = time.monotonic()
    if kept is not None and kept[1] > now:
        shell = kept[0]
    else:
        shell = cached_for_state(request, _shell_key(kind), lambda: render_to_string(template, {
            "content": mark_safe(_CONTENT_PLACEHOLDER), "title": _TITLE_PLACEHOLDER,  # noqa: S308
            "next_path": _NEXT_PLACEHOLDER, "csrf_token": _CSRF_PLACEHOLDER}, request=request))
        if len(_SHELLS) >= _SHELLS_MAX:
            _SHELLS.clear()
        _SHELLS[full_key] = (shell, now + _SHELLS_SECONDS)
    values = {_NEXT_PLACEHOLDER: str(conditional_escape(request.get_full_path())), **values}
    return re.sub("|".join(re.escape(k) for k in values), lambda m: values[m.group(0)], shell)
