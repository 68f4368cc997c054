"""The register's own entry kinds: membership events (with the public details of their date),
corrections of public details and published bulletins (with their files' SHA-256). The convention
registers its kinds itself."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from members.details.models import OrganisationDetails
from members.models import MembershipEvent, Organisation
from members.publications.models import Publication, PublicationState

from .canonical import EntryKind, iso_date, iso_time, register


def details_on(org: Organisation, on: Any, known_at: Any = None) -> dict[str, Any]:
    """The organisation's public details on ``on``, from its effective-dated versions as known at
    ``known_at`` (so an entry and its re-derivation by ``verify_register`` agree after a rename or a
    correction: the correction is an entry of its own)."""
    from members.details.selectors import details_on as dated

    return _public(dated(org, on, known_at=known_at))


def _public(d: Any) -> dict[str, Any]:
    return {"name": d.name, "name_en": d.name_en, "roles": d.role_list, "region": d.region,
            "uscc_public": d.uscc_public}


def _event_body(ev: MembershipEvent) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": ev.pk, "event": ev.kind, "membership_id": ev.membership_id,
        "effective_date": iso_date(ev.effective_date), "recorded_at": iso_time(ev.recorded_at),
        "legal_basis": ev.legal_basis,
        "organisation": details_on(ev.organisation, ev.effective_date, known_at=ev.recorded_at),
    }
    if ev.supersedes_id is not None:  # a revocation that overtook a scheduled withdrawal names it
        body["supersedes_event_id"] = ev.supersedes_id
    # The public notice of a revocation (Art 21) is published with it; the reason stays internal.
    if ev.kind == MembershipEvent.Kind.REVOKED and ev.public_notice.strip():
        body["public_notice"] = ev.public_notice.strip()
    return body


def _prepare_events(events: list[MembershipEvent]) -> None:
    """Each event's organisation gets all its details versions in memory, 2,000 organisations a query."""
    from members.details.selectors import attach_versions

    attach_versions([ev.organisation for ev in events])


def _events() -> QuerySet[MembershipEvent]:
    return MembershipEvent.objects.select_related("organisation").order_by("recorded_at", "id")


MEMBERSHIP_EVENT = register(EntryKind(
    name="membership_event", version=1, body=_event_body, rows=_events, time=lambda ev: ev.recorded_at,
    get=lambda pk: _events().get(pk=pk), organisation_id=lambda ev: ev.organisation_id, prepare=_prepare_events,
))


def _bulletin_body(pub: Publication) -> dict[str, Any]:
    return {
        "number": pub.number, "period_start": iso_date(pub.period_start), "period_end": iso_date(pub.period_end),
        "corrects": pub.corrects.number if pub.corrects_id and pub.corrects else None,
        "published_at": iso_time(pub.published_at),
        "files": {f.kind: f.sha256 for f in pub.files.all()},
    }


def _bulletins() -> QuerySet[Publication]:
    return (Publication.objects.filter(state=PublicationState.PUBLISHED).select_related("corrects")
            .prefetch_related("files").order_by("published_at", "id"))


BULLETIN = register(EntryKind(
    name="bulletin", version=1, body=_bulletin_body, rows=_bulletins, time=lambda pub: pub.published_at,
    get=lambda pk: _bulletins().get(pk=pk),
))


def _correction_body(version: OrganisationDetails) -> dict[str, Any]:
    """What a correction changed: the version it supersedes and the details before and after, for the
    same days. Who corrected it and why stay in the register (the reason is internal, as for events)."""
    original = version.corrects
    assert original is not None
    return {
        "version_id": version.pk, "corrects_version_id": original.pk, "organisation_id": version.organisation_id,
        "valid_from": iso_date(version.valid_from), "recorded_at": iso_time(version.recorded_at),
        "before": _public(original), "after": _public(version),
    }


def _corrections() -> QuerySet[OrganisationDetails]:
    return OrganisationDetails.objects.filter(corrects__isnull=False).select_related("corrects").order_by(
        "recorded_at", "id")


DETAILS_CORRECTION = register(EntryKind(
    name="details_correction", version=1, body=_correction_body, rows=_corrections,
    time=lambda v: v.recorded_at, get=lambda pk: _corrections().get(pk=pk),
    organisation_id=lambda v: v.organisation_id,
))
