"""The verification target of a report (Art 21): a named setting, not a deadline of the convention.

The convention gives no time limit for 查证核实, so the executive body's own target is
``settings.COMPLAINTS_VERIFICATION_TARGET_DAYS`` days from receipt, and a report is "near the target" from
``COMPLAINTS_VERIFICATION_WARNING_DAYS`` days before it. Correction orders carry their own deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings


def verification_target(received_at: datetime) -> datetime:
    return received_at + timedelta(days=settings.COMPLAINTS_VERIFICATION_TARGET_DAYS)


def verification_warning_since(now: datetime) -> datetime:
    """Open reports received at or before this time are near (or past) their target."""
    return now - timedelta(days=settings.COMPLAINTS_VERIFICATION_TARGET_DAYS
                           - settings.COMPLAINTS_VERIFICATION_WARNING_DAYS)
