"""Test helpers shared by every app's tests."""

from __future__ import annotations

from typing import Any


def login_staff(client: Any, user: Any) -> Any:
    """Log a staff member into the admin through the test client (all admin tests use this)."""
    client.force_login(user)
    return client
