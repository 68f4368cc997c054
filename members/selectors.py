"""Reads of the register. "Who was a signatory on D" and "status of X on D" come from the events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from members.core.policy import Actor, allows

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
        MembershipEvent.objects.filter(organisation=org, effective_date__lte=on)
        .order_by("-effective_date", "-id").values_list("kind", flat=True).first()
    )
    return status_from_events([last] if last else [])


def memberships_active_on(on: date) -> QuerySet[Membership]:
    return Membership.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


def signatories_on(on: date) -> QuerySet[Organisation]:
    """Organisations whose membership period covers ``on`` (a period ends on its end date)."""
    active = memberships_active_on(on).filter(organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(active))


def current_signatories() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=MembershipStatus.SIGNATORY)


def public_history(org: Organisation) -> QuerySet[MembershipEvent]:
    return org.events.order_by("effective_date", "id")


@dataclass(frozen=True)
class Inconsistency:
    organisation_id: int
    problem: str


def registry_inconsistencies(org_ids: list[int] | None = None) -> list[Inconsistency]:
    """Recompute every projection from the event log and report any disagreement."""
    problems: list[Inconsistency] = []
    events: dict[int, list[MembershipEvent]] = {}
    ev_qs = MembershipEvent.objects.order_by("organisation_id", "effective_date", "id")
    orgs = Organisation.objects.all()
    periods = Membership.objects.order_by("organisation_id", "started_on", "id")
    if org_ids is not None:
        ev_qs, orgs, periods = (ev_qs.filter(organisation_id__in=org_ids), orgs.filter(pk__in=org_ids),
                                periods.filter(organisation_id__in=org_ids))
    for ev in ev_qs:
        events.setdefault(ev.organisation_id, []).append(ev)
    by_org_periods: dict[int, list[Membership]] = {}
    for m in periods:
        by_org_periods.setdefault(m.organisation_id, []).append(m)
    for org in orgs:
        evs = events.get(org.pk, [])
        expected = status_from_events([e.kind for e in evs])
        if org.status != expected:
            problems.append(Inconsistency(org.pk, f"status {org.status} but events say {expected}"))
        joins = [e for e in evs if e.kind == MembershipEvent.Kind.JOINED]
        ends = [e for e in evs if e.kind != MembershipEvent.Kind.JOINED]
        expected_joined = joins[-1].effective_date if joins else None
        expected_left = ends[-1].effective_date if ends and expected != MembershipStatus.SIGNATORY else None
        if org.joined_on != expected_joined:
            problems.append(Inconsistency(org.pk, f"joined_on {org.joined_on} but events say {expected_joined}"))
        if org.left_on != expected_left:
            problems.append(Inconsistency(org.pk, f"left_on {org.left_on} but events say {expected_left}"))
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
    return problems


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
