"""Reads of the details versions: the public details of an organisation on a date.

``details_on`` answers for one organisation, ``details_on_many`` for a roster in one query and
``DetailsIndex`` for many (organisation, date) pairs (a bulletin's joined and withdrawn lines).
Before an organisation's first version (it never joined, or the date precedes its first event) the
earliest version answers, and without any version the current record does.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from members import uscc as uscc_rules
from members.core.compiled import ById
from members.models import Organisation

from .models import OrganisationDetails

DETAIL_FIELDS = ("name", "name_en", "roles", "region", "uscc_public")


@dataclass(frozen=True)
class PublicDetails:
    """The public details of one organisation on one date. ``roles`` is the canonical code list text."""

    name: str
    name_en: str
    roles: str
    region: str
    uscc_public: str

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    def get_roles_display(self) -> str:
        from members.core.i18n import list_separator
        from members.models import Role

        labels = dict(Role.choices)
        return list_separator().join(str(labels[r]) for r in self.role_list if r in labels)

    @property
    def public_uscc(self) -> str:  # the same attribute name as ``Organisation.public_uscc``
        return self.uscc_public


def current_details(org: Organisation) -> PublicDetails:
    """What the organisation's record says now (the form a new version takes)."""
    return PublicDetails(org.name, org.name_en, org.roles, org.region, uscc_rules.mask(org.uscc))


def _from_row(row: OrganisationDetails | dict[str, str]) -> PublicDetails:
    if isinstance(row, dict):
        return PublicDetails(*(row[f] for f in DETAIL_FIELDS))
    return PublicDetails(*(getattr(row, f) for f in DETAIL_FIELDS))


def details_on(org: Organisation, on: date, *, known_at: datetime | None = None) -> PublicDetails:
    """The public details of ``org`` valid on ``on``.

    With ``known_at``, as the register knew them at that moment: versions and corrections recorded
    later are left out (a log entry says what was known when it was written; a later correction has
    its own entry).
    """
    row = details_version_on(org, on, known_at=known_at)
    return _from_row(row) if row is not None else current_details(org)


_ATTACHED = "_attached_details_versions"


def attach_versions(orgs: Iterable[Organisation], chunk: int = 2000) -> None:
    """Read every details version of ``orgs`` in a few queries and keep them on the instances, so that
    ``details_version_on`` answers them from memory (a backfill of many events, one query per chunk)."""
    todo = [org for org in orgs if not hasattr(org, _ATTACHED)]
    for start in range(0, len(todo), chunk):
        part = todo[start:start + chunk]
        found: dict[int, list[OrganisationDetails]] = {}
        for row in OrganisationDetails.objects.filter(organisation_id__in={o.pk for o in part}):
            found.setdefault(row.organisation_id, []).append(row)
        for org in part:
            setattr(org, _ATTACHED, found.get(org.pk, []))


def _version_on_in_memory(versions: list[OrganisationDetails], on: date,
                          known_at: datetime | None) -> OrganisationDetails | None:
    """The newest version (by valid_from, then id) valid on ``on`` among those recorded by ``known_at``;
    before the first one, the first (the last row of its day); nothing known then (data loaded
    afterwards), the first original."""
    known = [v for v in versions if known_at is None or v.recorded_at <= known_at]
    in_force = [v for v in known if v.valid_from <= on]
    if in_force:
        return max(in_force, key=lambda v: (v.valid_from, v.id))
    if known:
        return min(known, key=lambda v: (v.valid_from, -v.id))
    originals = [v for v in versions if v.corrects_id is None]
    if known_at is not None and originals:
        return min(originals, key=lambda v: (v.valid_from, v.id))
    return None


def details_version_on(org: Organisation, on: date, *,
                       known_at: datetime | None = None) -> OrganisationDetails | None:
    """The version row in force on ``on`` (a correction wins over the version it corrects).

    An organisation has a handful of versions (one per change of its public details): they are read in
    one query, or taken from ``attach_versions``, and chosen here.
    """
    return _version_on_in_memory(_versions_of(org), on, known_at)


# Compiled once (members.core.compiled): the same queries for every organisation.
_VERSIONS = ById(lambda pk: OrganisationDetails.objects.filter(organisation_id=pk))
_HISTORY = ById(lambda pk: OrganisationDetails.objects.filter(organisation_id=pk).order_by("valid_from", "id")
                .only("id", "organisation_id", "valid_from", "recorded_at", "corrects_id", *DETAIL_FIELDS))


def _versions_of(org: Organisation) -> list[OrganisationDetails]:
    attached = getattr(org, _ATTACHED, None)
    return attached if attached is not None else _VERSIONS(org.pk)


@dataclass(frozen=True)
class CorrectedDetails:
    """The details on a date, and the versions a correction superseded for that date (oldest first)."""

    details: PublicDetails
    version: OrganisationDetails | None
    superseded: list[OrganisationDetails]

    @property
    def corrected(self) -> bool:
        return bool(self.superseded)

    def corrections(self) -> list[tuple[OrganisationDetails, datetime]]:
        """Each superseded version with the moment the version that corrected it was recorded."""
        if not self.superseded or self.version is None:
            return []
        later = [*self.superseded[1:], self.version]
        return [(old, new.recorded_at) for old, new in zip(self.superseded, later, strict=True)]


def corrected_details_on(org: Organisation, on: date) -> CorrectedDetails:
    """``details_on`` with its correction history: each version the one in force corrected, in turn."""
    versions = _versions_of(org)
    by_id = {v.pk: v for v in versions}
    version = _version_on_in_memory(versions, on, None)
    chain: list[OrganisationDetails] = []
    row = version
    while row is not None and row.corrects_id is not None:
        row = by_id.get(row.corrects_id) or OrganisationDetails.objects.get(pk=row.corrects_id)
        chain.insert(0, row)
    return CorrectedDetails(_from_row(version) if version is not None else current_details(org), version, chain)


def details_on_many(orgs: QuerySet[Organisation] | Iterable[int], on: date) -> dict[int, PublicDetails]:
    """``{organisation id: details on on}`` for many organisations: one query over the versions.

    Pass a queryset to keep the roster as a subquery (no long ``IN`` list of ids).
    """
    ids: Any = orgs.values("pk") if isinstance(orgs, QuerySet) else list(orgs)
    rows = (OrganisationDetails.objects.filter(organisation_id__in=ids, valid_from__lte=on)
            .order_by("organisation_id", "valid_from", "id").values("organisation_id", *DETAIL_FIELDS))
    result: dict[int, PublicDetails] = {}
    for row in rows.iterator(chunk_size=2000):
        result[row["organisation_id"]] = _from_row(row)  # ascending: the last one per organisation wins
    return result


class DetailsIndex:
    """Every version of a set of organisations up to a date, answering ``at(org_id, d)`` in memory."""

    def __init__(self, org_ids: Iterable[int], until: date) -> None:
        self._dates: dict[int, list[date]] = {}
        self._details: dict[int, list[PublicDetails]] = {}
        rows = (OrganisationDetails.objects.filter(organisation_id__in=list(set(org_ids)), valid_from__lte=until)
                .order_by("organisation_id", "valid_from", "id").values("organisation_id", "valid_from",
                                                                         *DETAIL_FIELDS))
        for row in rows:
            dates = self._dates.setdefault(row["organisation_id"], [])
            details = self._details.setdefault(row["organisation_id"], [])
            if dates and dates[-1] == row["valid_from"]:
                details[-1] = _from_row(row)  # a later row of the same day replaces the earlier one
            else:
                dates.append(row["valid_from"])
                details.append(_from_row(row))

    def at(self, org: Organisation, on: date) -> PublicDetails:
        dates = self._dates.get(org.pk)
        if not dates:
            return current_details(org)
        i = bisect.bisect_right(dates, on) - 1
        return self._details[org.pk][max(i, 0)]


def details_history(org: Organisation) -> list[OrganisationDetails]:
    """Every version, oldest first (the profile's history of names), corrections and the versions they
    superseded included (``superseded`` is set on each row a correction replaced)."""
    rows = _HISTORY(org.pk)
    corrected = {r.corrects_id for r in rows if r.corrects_id is not None}
    for r in rows:
        r.superseded = r.pk in corrected  # type: ignore[attr-defined]
    return rows
