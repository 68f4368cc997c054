"""Reads for bulletins. A bulletin's content comes from the membership event log only."""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from members.models import Membership, MembershipEvent, Organisation
from members.regions import REGIONS
from members.selectors import memberships_active_on, signatories_on

from .models import Publication, PublicationFile, PublicationState

_REGION_NAMES = dict(REGIONS)


@dataclass(frozen=True)
class ListedUnit:
    """One line of a bulletin: only public fields."""

    name: str
    uscc: str  # public form (Organisation.public_uscc)
    roles: str
    region: str
    date: str  # ISO effective date (join date in the roster)
    public_notice: str = ""


@dataclass(frozen=True)
class BulletinContent:
    period_start: date
    period_end: date
    joined: list[ListedUnit] = field(default_factory=list)
    withdrew: list[ListedUnit] = field(default_factory=list)
    revoked: list[ListedUnit] = field(default_factory=list)
    roster: list[ListedUnit] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "period_start": self.period_start.isoformat(), "period_end": self.period_end.isoformat(),
            "joined": [asdict(u) for u in self.joined], "withdrew": [asdict(u) for u in self.withdrew],
            "revoked": [asdict(u) for u in self.revoked], "roster": [asdict(u) for u in self.roster],
        }


def month_period(year: int, month: int, months: int = 1) -> tuple[date, date]:
    """The period of ``months`` months starting on the first day of ``year-month``."""
    end_month0 = (year * 12 + month - 1) + months - 1
    end_year, end_month = divmod(end_month0, 12)
    end_month += 1
    return date(year, month, 1), date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def parse_period(text: str, months: int = 1) -> tuple[date, date]:
    """``YYYY-MM`` → (first day, last day of the period)."""
    year, month = (int(part) for part in text.split("-", 1))
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(text)
    return month_period(year, month, months)


def last_completed_period(today: date, months: int = 1) -> tuple[date, date]:
    """The latest period of ``months`` months (aligned on January) that ended before ``today``."""
    months = max(1, min(12, months))
    index = today.year * 12 + today.month - 1  # the current month, 0-based since year 0
    start = (index // months) * months - months  # start of the previous aligned block
    year, month0 = divmod(start, 12)
    return month_period(year, month0 + 1, months)


def _unit(org: Organisation, on: date, notice: str = "") -> ListedUnit:
    return ListedUnit(name=org.name, uscc=org.public_uscc, roles=org.get_roles_display(),
                      region=str(_REGION_NAMES.get(org.region, org.region)), date=on.isoformat(),
                      public_notice=notice)


def _sort_key(unit: ListedUnit) -> tuple[str, str, str]:
    # Python's code-point order, not the database collation: the same on SQLite and PostgreSQL.
    return (unit.date, unit.name, unit.uscc)


def bulletin_content(period_start: date, period_end: date) -> BulletinContent:
    """Who joined, withdrew, or was revoked with public notice in the period; the roster at its end."""
    events = (MembershipEvent.objects.filter(effective_date__gte=period_start, effective_date__lte=period_end)
              .select_related("organisation").order_by("effective_date", "id"))
    joined: list[ListedUnit] = []
    withdrew: list[ListedUnit] = []
    revoked: list[ListedUnit] = []
    for ev in events:
        if ev.kind == MembershipEvent.Kind.JOINED:
            joined.append(_unit(ev.organisation, ev.effective_date))
        elif ev.kind == MembershipEvent.Kind.WITHDREW:
            withdrew.append(_unit(ev.organisation, ev.effective_date))
        elif ev.kind == MembershipEvent.Kind.REVOKED and ev.public_notice.strip():
            revoked.append(_unit(ev.organisation, ev.effective_date, ev.public_notice.strip()))
    active = memberships_active_on(period_end).order_by("started_on", "id")
    orgs = (signatories_on(period_end).only("id", "name", "uscc", "roles", "region")
            .prefetch_related(Prefetch("memberships", queryset=active, to_attr="active_memberships")))
    roster = []
    for org in orgs.iterator(chunk_size=2000):
        membership: Membership = org.active_memberships[-1]  # type: ignore[attr-defined]
        roster.append(_unit(org, membership.started_on))
    roster.sort(key=lambda u: (u.name, u.uscc))
    return BulletinContent(period_start, period_end, sorted(joined, key=_sort_key),
                           sorted(withdrew, key=_sort_key), sorted(revoked, key=_sort_key), roster)


def published_publications() -> QuerySet[Publication]:
    return (Publication.objects.filter(state=PublicationState.PUBLISHED)
            .select_related("corrects").prefetch_related("files").order_by("-number"))


def published_file(number: int, kind: str) -> PublicationFile | None:
    return (PublicationFile.objects.select_related("publication")
            .filter(publication__number=number, publication__state=PublicationState.PUBLISHED, kind=kind).first())
