"""Page-cache writes made after the response has gone: a cold page is not kept waiting for them.

A cold register page builds its content, then stores it (and a search's count) in the shared cache.
Inside a request those writes are collected here and made in one round trip (Redis; elsewhere
``set_many`` per time-out) when the response is closed, which the WSGI server does after sending it (Django's
``request_finished``). Reads of the same request see what it is about to write. Outside a request (a
command, a task) a write is made at once. A failed write is logged: the page was served, and the next
request builds it again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.cache import cache

log = logging.getLogger(__name__)
_local = threading.local()
_MISSING = object()


def begin(**kwargs: Any) -> None:
    """``request_started``: writes wait for the end of this request."""
    _local.writes = {}


def set_later(key: str, value: Any, timeout: int) -> None:
    writes: dict[str, tuple[Any, int]] | None = getattr(_local, "writes", None)
    if writes is None:
        cache.set(key, value, timeout)
    else:
        writes[key] = (value, timeout)


def pending(key: str) -> Any:
    """What this request is about to write under ``key``, or ``MISSING``."""
    writes = getattr(_local, "writes", None)
    return writes[key][0] if writes and key in writes else _MISSING


def is_missing(value: Any) -> bool:
    return value is _MISSING


def flush(**kwargs: Any) -> None:
    """``request_finished``: make this request's writes, in one round trip where the cache can (Redis:
    ``set_each``), else one ``set_many`` per time-out."""
    writes: dict[str, tuple[Any, int]] | None = getattr(_local, "writes", None)
    _local.writes = None
    if not writes:
        return
    try:
        set_each = getattr(cache, "set_each", None)
        if set_each is not None:
            set_each(writes)
            return
        by_timeout: dict[int, dict[str, Any]] = {}
        for key, (value, timeout) in writes.items():
            by_timeout.setdefault(timeout, {})[key] = value
        for timeout, values in by_timeout.items():
            cache.set_many(values, timeout)
    except Exception:  # the response is out; a lost write costs the next request a rebuild
        log.warning("page cache writes after the response failed", exc_info=True)


def connect() -> None:
    from django.core.signals import request_finished, request_started

    request_started.connect(begin, dispatch_uid="public-later-begin")
    request_finished.connect(flush, dispatch_uid="public-later-flush")
