"""The client's address, the one notion used by the audit log, the login lockout and the rate limits.

Behind ``REGISTRY_TRUSTED_PROXIES`` = N reverse proxies that each append the address they saw to
X-Forwarded-For, the client is the N-th entry from the right; everything left of it was written by the
client and proves nothing. With N = 0 (no proxy) the socket's peer (REMOTE_ADDR) is the client. A header
shorter than N hops cannot come through all the proxies: the peer is used then, never a forged value;
what is not an IP address is not an address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when the request carries none (a test client, a unix socket)."""
    proxies = settings.REGISTRY_TRUSTED_PROXIES
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies and (address := _valid(hops[-proxies])):
            return address
    return _valid(request.META.get("REMOTE_ADDR", "") or "")
