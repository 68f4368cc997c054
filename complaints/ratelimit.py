"""Per-IP fixed-window counters in Django's cache: a flood of reports or code guesses is refused."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind N trusted reverse proxies (COMPLAINTS_TRUSTED_PROXIES = N), the N-th
    address from the right of X-Forwarded-For; the left part of that header is whatever the client sent."""
    proxies = getattr(settings, "COMPLAINTS_TRUSTED_PROXIES", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request: HttpRequest, scope: str, setting: str) -> bool:
    """Count one attempt from this client; False once it exceeds ``settings.<setting>`` = (limit, seconds)."""
    limit, window = getattr(settings, setting)
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    key = f"complaints:rate:{scope}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
