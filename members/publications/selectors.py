"""Reads for bulletins. A bulletin's content comes from the membership event log only."""

from __future__ import annotations

import calendar
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Membership, MembershipEvent
from members.regions import REGIONS
from members.selectors import (
    DetailsIndex,
    PublicDetails,
    current_details,
    details_on_many,
    memberships_active_on,
    signatories_on,
)

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
    # A correction bulletin's statement of what changed against the bulletin it corrects (else empty).
    changes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "period_start": self.period_start.isoformat(), "period_end": self.period_end.isoformat(),
            "joined": [asdict(u) for u in self.joined], "withdrew": [asdict(u) for u in self.withdrew],
            "revoked": [asdict(u) for u in self.revoked], "roster": [asdict(u) for u in self.roster],
        }
        if self.changes:  # only corrections carry it: every other bulletin keeps its exact bytes
            data["changes"] = list(self.changes)
        return data


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


def _unit(details: PublicDetails, on: date, notice: str = "") -> ListedUnit:
    return ListedUnit(name=details.name, uscc=details.uscc_public, roles=details.get_roles_display(),
                      region=str(_REGION_NAMES.get(details.region, details.region)), date=on.isoformat(),
                      public_notice=notice)


def _sort_key(unit: ListedUnit) -> tuple[str, str, str]:
    # Python's code-point order, not the database collation: the same on SQLite and PostgreSQL.
    return (unit.date, unit.name, unit.uscc)


def bulletin_content(period_start: date, period_end: date) -> BulletinContent:
    """Who joined, withdrew, or was revoked with public notice in the period; the roster at its end.

    Every line shows the organisation's details of its own date (a change line: the event's date; the
    roster: the period's end), so a rename after the period never changes a re-render.
    """
    events = list(MembershipEvent.objects.in_force()
                  .filter(effective_date__gte=period_start, effective_date__lte=period_end)
                  .select_related("organisation").order_by("effective_date", "id"))
    versions = DetailsIndex({ev.organisation_id for ev in events}, period_end)
    joined: list[ListedUnit] = []
    withdrew: list[ListedUnit] = []
    revoked: list[ListedUnit] = []
    for ev in events:
        details = versions.at(ev.organisation, ev.effective_date)
        if ev.kind == MembershipEvent.Kind.JOINED:
            joined.append(_unit(details, ev.effective_date))
        elif ev.kind == MembershipEvent.Kind.WITHDREW:
            withdrew.append(_unit(details, ev.effective_date))
        elif ev.kind == MembershipEvent.Kind.REVOKED and ev.public_notice.strip():
            revoked.append(_unit(details, ev.effective_date, ev.public_notice.strip()))
    active = memberships_active_on(period_end).order_by("started_on", "id")
    members = signatories_on(period_end)
    roster_details = details_on_many(members, period_end)  # one query for the whole roster
    orgs = (members.only("id", "name", "name_en", "uscc", "roles", "region")
            .prefetch_related(Prefetch("memberships", queryset=active, to_attr="active_memberships")))
    roster = []
    for org in orgs.iterator(chunk_size=2000):
        membership: Membership = org.active_memberships[-1]  # type: ignore[attr-defined]
        roster.append(_unit(roster_details.get(org.pk) or current_details(org), membership.started_on))
    roster.sort(key=lambda u: (u.name, u.uscc))
    return BulletinContent(period_start, period_end, sorted(joined, key=_sort_key),
                           sorted(withdrew, key=_sort_key), sorted(revoked, key=_sort_key), roster)


def bulletin_content_for(pub: Publication) -> BulletinContent:
    """The content a bulletin renders: a correction also states what changed against the original."""
    content = bulletin_content(pub.period_start, pub.period_end)
    if pub.corrects_id is None:
        return content
    original = pub.corrects
    assert original is not None
    return replace(content, changes=correction_statement(original.number, published_content(original), content))


def published_content(pub: Publication) -> dict[str, Any]:
    """What a published bulletin said, read back from its own JSON file (never recomputed)."""
    from .services import file_path

    f = pub.files.filter(kind=PublicationFile.Kind.JSON).first()
    if f is None:
        return {}
    return cast(dict[str, Any], json.loads(file_path(f).read_text(encoding="utf-8")))


_SECTION_LABELS = {"joined": _("本期加入"), "withdrew": _("本期退出"), "revoked": _("取消成员资格并通报"),
                   "roster": _("签署成员名录")}
_FIELD_LABELS = {"name": _("名称"), "roles": _("角色"), "region": _("地区"), "date": _("日期"),
                 "public_notice": _("通报事由")}


def correction_statement(original_number: int, original: dict[str, Any], content: BulletinContent) -> list[str]:
    """Plain sentences (in the active language) of every line added, removed or changed, per section.

    Lines are matched by their public code within a section.
    """
    lines: list[str] = []
    for section, label in _SECTION_LABELS.items():
        before = {row["uscc"]: row for row in original.get(section, [])}
        after = {u.uscc: asdict(u) for u in getattr(content, section)}
        for code in sorted(before.keys() | after.keys()):
            old, new = before.get(code), after.get(code)
            if old == new:
                continue
            if old is None:
                lines.append(str(_("%(section)s：增加 %(name)s（%(uscc)s）") % {
                    "section": label, "name": new["name"], "uscc": code}))  # type: ignore[index]
            elif new is None:
                lines.append(str(_("%(section)s：删去 %(name)s（%(uscc)s）") % {
                    "section": label, "name": old["name"], "uscc": code}))
            else:
                for key, field_label in _FIELD_LABELS.items():
                    if old.get(key, "") != new.get(key, ""):
                        lines.append(str(_("%(section)s：%(uscc)s 的%(field)s由“%(old)s”更正为“%(new)s”") % {
                            "section": label, "uscc": code, "field": field_label, "old": old.get(key, ""),
                            "new": new.get(key, "")}))
    if not lines:
        lines.append(str(_("与第 %(n)s 期相比，名单内容没有变化。") % {"n": original_number}))
    return lines


def published_publications() -> QuerySet[Publication]:
    return (Publication.objects.filter(state=PublicationState.PUBLISHED)
            .select_related("corrects").prefetch_related("files").order_by("-number"))


def published_file(number: int, kind: str) -> PublicationFile | None:
    return (PublicationFile.objects.select_related("publication")
            .filter(publication__number=number, publication__state=PublicationState.PUBLISHED, kind=kind).first())
