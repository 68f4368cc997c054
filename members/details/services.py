"""Writes of the details versions. Called inside the transaction of the service that changes the record."""

from __future__ import annotations

from datetime import date
from typing import Any

from members.core.texts import Text, reason_fields

from .models import OrganisationDetails
from .selectors import DETAIL_FIELDS, PublicDetails, current_details


def _latest(org_id: int) -> OrganisationDetails | None:
    return OrganisationDetails.objects.filter(organisation_id=org_id).order_by("-valid_from", "-id").first()


def details_record(org: Any, *, valid_from: date, actor: Any, reason: str | Text = "",
                   recorded_at: Any = None) -> OrganisationDetails | None:
    """Append a version from the organisation's current record if it differs from the latest one.

    Hold the organisation's row lock. Returns the new version, or None when nothing public changed.
    A version never starts before the latest one: the past that bulletins relied on stays as it was.
    """
    from members.core import clock

    details = current_details(org)
    latest = _latest(org.pk)
    if latest is not None and PublicDetails(*(getattr(latest, f) for f in DETAIL_FIELDS)) == details:
        return None
    if latest is not None and valid_from < latest.valid_from:
        valid_from = latest.valid_from
    return OrganisationDetails.objects.create(
        organisation_id=org.pk, valid_from=valid_from, actor=actor, **reason_fields(reason),
        recorded_at=recorded_at or clock.now(), **details.__dict__,
    )


def has_public_record(org: Any) -> bool:
    """An organisation with a membership history has public details that only versions may change."""
    return bool(org.pk) and org.events.exists()
