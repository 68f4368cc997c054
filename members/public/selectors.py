"""Reads for the public surfaces (page, API, exports, feed). Only public fields leave this module.

Organisations that never became signatories (applicants) are not on the public register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, QuerySet

from members.filters import OrganisationFilter
from members.models import Membership, MembershipEvent, MembershipStatus, Organisation

# The columns a public surface may read. Contact persons, phone, e-mail and waiver notes are not here.
PUBLIC_FIELDS = ("id", "uscc", "name", "name_en", "roles", "region", "website", "status", "joined_on",
                 "left_on", "updated_at")
EVENT_PUBLIC_FIELDS = ("id", "organisation_id", "membership_id", "kind", "effective_date", "recorded_at",
                       "legal_basis", "public_notice")


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(status=MembershipStatus.NONE).only(*PUBLIC_FIELDS)


def register_filter(params: Any, *, request: Any = None) -> OrganisationFilter:
    """The register's filters over the public organisations (shared by page, API and exports)."""
    return OrganisationFilter(params, queryset=public_organisations(), request=request)


def current_signatory_count() -> int:
    return Organisation.objects.filter(status=MembershipStatus.SIGNATORY).count()


def organisation_by_uscc(code: str) -> Organisation | None:
    from members import uscc as uscc_rules

    return public_organisations().filter(uscc=uscc_rules.normalise(code)).first()


def organisation_by_pk(pk: int) -> Organisation | None:
    return public_organisations().filter(pk=pk).first()


def public_periods(org: Organisation) -> list[Membership]:
    return list(Membership.objects.filter(organisation=org).order_by("started_on", "id")
                .only("id", "organisation_id", "started_on", "ended_on", "end_kind"))


def public_events(org: Organisation) -> list[MembershipEvent]:
    return list(MembershipEvent.objects.filter(organisation=org).order_by("effective_date", "id")
                .only(*EVENT_PUBLIC_FIELDS))


def public_notices(events: list[MembershipEvent]) -> list[MembershipEvent]:
    """Revocations published with a notice to the public (Art 21)."""
    return [e for e in events if e.kind == MembershipEvent.Kind.REVOKED and e.public_notice.strip()]


def recent_events(limit: int = 50) -> QuerySet[MembershipEvent]:
    """Membership changes, newest recorded first, with only public columns of the organisation."""
    return (
        MembershipEvent.objects.select_related("organisation").order_by("-recorded_at", "-id")
        .only(*EVENT_PUBLIC_FIELDS, *(f"organisation__{f}" for f in PUBLIC_FIELDS))[:limit]
    )


@dataclass(frozen=True)
class RegisterStamp:
    """A cheap fingerprint of the whole register: one aggregate query, no page built."""

    last_modified: datetime | None
    organisations: int
    last_event: datetime | None
    events: int

    @property
    def newest(self) -> datetime | None:
        stamps = [s for s in (self.last_modified, self.last_event) if s is not None]
        return max(stamps) if stamps else None

    def token(self) -> str:
        return f"{self.last_modified and self.last_modified.isoformat()}|{self.organisations}|" \
               f"{self.last_event and self.last_event.isoformat()}|{self.events}"


def register_stamp() -> RegisterStamp:
    org = Organisation.objects.aggregate(m=Max("updated_at"), n=Count("id"))
    ev = MembershipEvent.objects.aggregate(m=Max("recorded_at"), n=Count("id"))
    return RegisterStamp(org["m"], org["n"], ev["m"], ev["n"])
