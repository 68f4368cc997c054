"""The register's own entry kinds: membership events (with the public details of their date) and
published bulletins (with their files' SHA-256). The convention registers its kinds itself."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from members.models import MembershipEvent, Organisation
from members.publications.models import Publication, PublicationState

from .canonical import EntryKind, iso_date, iso_time, register


def details_on(org: Organisation, on: Any) -> dict[str, Any]:
    """The organisation's public details on ``on``, from its effective-dated versions (so an entry and
    its re-derivation by ``verify_register`` agree after a rename)."""
    from members.details.selectors import details_on as dated

    d = dated(org, on)
    return {"name": d.name, "name_en": d.name_en, "roles": d.role_list, "region": d.region,
            "uscc_public": d.uscc_public}


def _event_body(ev: MembershipEvent) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": ev.pk, "event": ev.kind, "membership_id": ev.membership_id,
        "effective_date": iso_date(ev.effective_date), "recorded_at": iso_time(ev.recorded_at),
        "legal_basis": ev.legal_basis, "organisation": details_on(ev.organisation, ev.effective_date),
    }
    # The public notice of a revocation (Art 21) is published with it; the reason stays internal.
    if ev.kind == MembershipEvent.Kind.REVOKED and ev.public_notice.strip():
        body["public_notice"] = ev.public_notice.strip()
    return body


def _events() -> QuerySet[MembershipEvent]:
    return MembershipEvent.objects.select_related("organisation").order_by("recorded_at", "id")


MEMBERSHIP_EVENT = register(EntryKind(
    name="membership_event", version=1, body=_event_body, rows=_events, time=lambda ev: ev.recorded_at,
    get=lambda pk: _events().get(pk=pk), organisation_id=lambda ev: ev.organisation_id,
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
