"""Reads of the register. "Who was a signatory on D" and "status of X on D" come from the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from members.core import clock
from members.core.policy import Actor, allows

from .details.models import OrganisationDetails
from .details.selectors import (  # noqa: F401  (the public entry points of the details versions)
    DETAIL_FIELDS,
    DetailsIndex,
    PublicDetails,
    current_details,
    details_history,
    details_on,
    details_on_many,
)
from .models import Document, Membership, MembershipEvent, MembershipStatus, Organisation

_KIND_TO_STATUS: dict[str, str] = {
    MembershipEvent.Kind.JOINED: MembershipStatus.SIGNATORY,
    MembershipEvent.Kind.WITHDREW: MembershipStatus.WITHDRAWN,
    MembershipEvent.Kind.REVOKED: MembershipStatus.REVOKED,
}


def status_from_events(kinds_in_order: list[str]) -> str:
    """The status after a sequence of event kinds (oldest first). Pure: shared by every check."""
    return _KIND_TO_STATUS[kinds_in_order[-1]] if kinds_in_order else MembershipStatus.NONE


def status_on(org: Organisation, on: date) -> str:
    last = (
        MembershipEvent.objects.in_force().filter(organisation=org, effective_date__lte=on)
        .order_by("-effective_date", "-id").values_list("kind", flat=True).first()
    )
    return status_from_events([last] if last else [])


@dataclass(frozen=True)
class Projection:
    """The status columns of ``Organisation`` as the events say they are on one day."""

    status: str
    joined_on: date | None
    left_on: date | None


def projection_from_events(events: list[tuple[str, date]], today: date) -> Projection:
    """Pure: the projection on ``today`` from ``(kind, effective date)`` pairs in log order.

    Events dated after ``today`` (a withdrawal acknowledged for a later date) do not count yet.
    """
    past = [(k, d) for k, d in events if d <= today]
    status = status_from_events([k for k, _d in past])
    joins = [d for k, d in past if k == MembershipEvent.Kind.JOINED]
    ends = [d for k, d in past if k != MembershipEvent.Kind.JOINED]
    left = ends[-1] if ends and status != MembershipStatus.SIGNATORY else None
    return Projection(status, joins[-1] if joins else None, left)


def scheduled_end(org: Organisation, today: date | None = None) -> Membership | None:
    """The current period if its end is already recorded for a later day (shown on portal and profile)."""
    today = today or clock.today()
    return (Membership.objects.filter(organisation=org, started_on__lte=today, ended_on__gt=today)
            .order_by("-started_on", "-id").first())


def memberships_active_on(on: date) -> QuerySet[Membership]:
    return Membership.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


def signatories_on(on: date) -> QuerySet[Organisation]:
    """Organisations whose membership period covers ``on`` (a period ends on its end date)."""
    active = memberships_active_on(on).filter(organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(active))


def current_signatories() -> QuerySet[Organisation]:
    """Signatories today, from the periods: right even when the projection job has not run yet."""
    return signatories_on(clock.today())


def public_history(org: Organisation) -> QuerySet[MembershipEvent]:
    return org.events.order_by("effective_date", "id")


def superseded_event_ids(org_ids: list[int] | None = None) -> set[int]:
    """The ids of events a later event superseded (a scheduled withdrawal overtaken by a revocation)."""
    rows = MembershipEvent.objects.filter(supersedes__isnull=False)
    if org_ids is not None:
        rows = rows.filter(organisation_id__in=org_ids)
    return set(rows.values_list("supersedes_id", flat=True))


@dataclass(frozen=True)
class Inconsistency:
    organisation_id: int
    problem: str


def registry_inconsistencies(org_ids: list[int] | None = None) -> list[Inconsistency]:
    """Recompute every projection from the event log and report any disagreement.

    The status columns are compared with the events in force as of today (a future-dated end does
    not count yet); the periods with every event in force; the current public details with the latest
    details version. A superseded event must be a withdrawal of the same period, superseded by a
    revocation that takes effect before it and was recorded before it would have taken effect.
    """
    problems: list[Inconsistency] = []
    today = clock.today()
    events: dict[int, list[MembershipEvent]] = {}
    ev_qs = MembershipEvent.objects.order_by("organisation_id", "effective_date", "id")
    orgs = Organisation.objects.all()
    periods = Membership.objects.order_by("organisation_id", "started_on", "id")
    if org_ids is not None:
        ev_qs, orgs, periods = (ev_qs.filter(organisation_id__in=org_ids), orgs.filter(pk__in=org_ids),
                                periods.filter(organisation_id__in=org_ids))
    superseded: dict[int, MembershipEvent] = {}
    for ev in ev_qs:
        events.setdefault(ev.organisation_id, []).append(ev)
        if ev.supersedes_id is not None:
            superseded[ev.supersedes_id] = ev
    for org_evs in events.values():
        for ev in org_evs:
            if ev.pk in superseded:
                problems.extend(_supersession_problems(ev, superseded[ev.pk]))
        org_evs[:] = [ev for ev in org_evs if ev.pk not in superseded]
    by_org_periods: dict[int, list[Membership]] = {}
    for m in periods:
        by_org_periods.setdefault(m.organisation_id, []).append(m)
    versions = _details_versions(org_ids)
    for org in orgs:
        evs = events.get(org.pk, [])
        expected = projection_from_events([(e.kind, e.effective_date) for e in evs], today)
        for column in ("status", "joined_on", "left_on"):
            if getattr(org, column) != getattr(expected, column):
                problems.append(Inconsistency(org.pk, f"{column} {getattr(org, column)} but events say "
                                                      f"{getattr(expected, column)}"))
        mems = by_org_periods.get(org.pk, [])
        derived = []
        for e in evs:
            if e.kind == MembershipEvent.Kind.JOINED:
                derived.append([e.membership_id, e.effective_date, None])
            elif derived:
                derived[-1][2] = e.effective_date
        actual = [[m.pk, m.started_on, m.ended_on] for m in mems]
        if derived != actual:
            problems.append(Inconsistency(org.pk, f"periods {actual} but events say {derived}"))
        # Alternation: join, end, join, end ...
        kinds = [e.kind == MembershipEvent.Kind.JOINED for e in evs]
        if any(kinds[i] == kinds[i + 1] for i in range(len(kinds) - 1)) or (kinds and not kinds[0]):
            problems.append(Inconsistency(org.pk, "events do not alternate join / end"))
        problems.extend(_details_problems(org, evs, versions.get(org.pk, []), today))
    return problems


def _supersession_problems(old: MembershipEvent, new: MembershipEvent) -> list[Inconsistency]:
    ok = (old.kind == MembershipEvent.Kind.WITHDREW and new.kind == MembershipEvent.Kind.REVOKED
          and old.membership_id == new.membership_id and new.effective_date < old.effective_date
          and timezone.localtime(new.recorded_at).date() < old.effective_date)
    return [] if ok else [Inconsistency(old.organisation_id, f"event {new.pk} supersedes event {old.pk} "
                                                             "but is not an earlier revocation of its period")]


def _details_versions(org_ids: list[int] | None) -> dict[int, list[tuple[date, PublicDetails]]]:
    rows = OrganisationDetails.objects.order_by("organisation_id", "valid_from", "id")
    if org_ids is not None:
        rows = rows.filter(organisation_id__in=org_ids)
    result: dict[int, list[tuple[date, PublicDetails]]] = {}
    for row in rows.values("organisation_id", "valid_from", *DETAIL_FIELDS):
        details = PublicDetails(*(row[f] for f in DETAIL_FIELDS))
        result.setdefault(row["organisation_id"], []).append((row["valid_from"], details))
    return result


def _details_problems(org: Organisation, evs: list[MembershipEvent], versions: list[tuple[date, PublicDetails]],
                      today: date) -> list[Inconsistency]:
    """An organisation with events has a version from its first event on, and the latest version in
    force today says what the record says now."""
    if not evs:
        return [Inconsistency(org.pk, "details versions without any event")] if versions else []
    if not versions or versions[0][0] > evs[0].effective_date:
        return [Inconsistency(org.pk, "no details version at the first event")]
    in_force = [d for valid_from, d in versions if valid_from <= today]
    if in_force and in_force[-1] != current_details(org):
        return [Inconsistency(org.pk, f"details {current_details(org)} but the version in force says "
                                      f"{in_force[-1]}")]
    return []


def representative_of(user: object) -> Organisation | None:
    """The organisation an account acts for, or None."""
    rep = getattr(user, "representative", None) if getattr(user, "is_authenticated", False) else None
    return rep.organisation if rep is not None else None


def document_for(actor: Actor, pk: int) -> Document | None:
    """A private document if ``actor`` may open it (its organisation's representatives, staff who review
    documents with the second factor), else None: callers answer 404 so its existence is not revealed."""
    doc = Document.objects.select_related("organisation").filter(pk=pk).first()
    if doc is None or not allows(actor, "document.view", doc):
        return None
    return doc
