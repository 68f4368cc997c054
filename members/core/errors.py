"""Domain errors raised by services; every surface turns them into a localised message."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A refused action: nothing was written. ``code`` is stable and machine-readable."""

    code = "invalid"
    status = 400

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        self.message = message
        self.field = field
        self.params = params or {}
        if code:
            self.code = code
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message)


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409
