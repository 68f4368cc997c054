"""Audit log, login lockout, second factor, retention and fault handling (issue 8)."""

from __future__ import annotations

from typing import Any


def record(action: str, **kwargs: Any) -> Any:
    """Append an audit entry: ``record("approve", model="members.joinapplication", object_id=1, ...)``."""
    from .recorder import record as _record

    return _record(action, **kwargs)
