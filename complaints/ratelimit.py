"""Per-address fixed-window counters in the shared cache: a flood of reports or code guesses is refused.

The cache is the one every process shares (Redis in production, the locking file cache embedded), and
the count is one atomic ``add`` + ``incr``, never "read, add one, write": with two workers (or two
machines) the limit lets exactly ``limit`` attempts through per window.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from members.core.client_address import client_ip


def allow(request: HttpRequest, scope: str, setting: str) -> bool:
    """Count one attempt from this client; False once it exceeds ``settings.<setting>`` = (limit, seconds)."""
    limit, window = getattr(settings, setting)  # noqa: B009 (the caller names one of the declared RATE settings)
    digest = hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:32]
    key = f"complaints:rate:{scope}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this attempt opens a new window
        count = 1 if cache.add(key, 1, timeout=window) else cache.incr(key)
    return count <= limit
