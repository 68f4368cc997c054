"""Who is acting, for the audit log: set per request by the middleware, or explicitly by jobs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    user: Any = None
    source: str = ""
    request_id: str = ""
    ip: str | None = None
    # The API token the request authenticated with (members.audit.tokens), if any.
    token_id: int | None = None


_current: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())  # noqa: B039


def current() -> AuditContext:
    return _current.get()


@contextlib.contextmanager
def acting(user: Any = None, source: str = "", request_id: str = "", ip: str | None = None) -> Iterator[None]:
    token = _current.set(AuditContext(user=user, source=source, request_id=request_id, ip=ip))
    try:
        yield
    finally:
        _current.reset(token)


def attribute(user: Any, token_id: int | None = None) -> None:
    """Name the acting user (and token) for the rest of the request: DRF authenticates after the
    middleware opened the context, so the token authentication fills it in here. The middleware's
    ``acting`` block restores the previous context when the request ends."""
    _current.set(replace(_current.get(), user=user, token_id=token_id))
