"""Reads for the public surfaces (page, API, exports, feed). Only public fields leave this module.

Organisations that never became signatories (applicants) are not on the public register.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from members.core import jinja
from members.core.compiled import ById, Compiled
from members.core.filtering import no_filter_given
from members.details.models import OrganisationDetails
from members.details.selectors import DETAIL_FIELDS, PublicDetails, current_details, details_history
from members.filters import OrganisationFilter, search_q
from members.models import Membership, MembershipEvent, MembershipStatus, Organisation, Role
from members.regions import REGIONS

# The columns a public surface may read. Contact persons, phone, e-mail and waiver notes are not here.
PUBLIC_FIELDS = ("id", "uscc", "name", "name_sort", "name_en", "roles", "region", "website", "status", "joined_on",
                 "left_on", "updated_at")
EVENT_PUBLIC_FIELDS = ("id", "organisation_id", "membership_id", "kind", "effective_date", "recorded_at",
                       "legal_basis", "public_notice")


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(status=MembershipStatus.NONE).only(*PUBLIC_FIELDS)


def register_filter(params: Any, *, request: Any = None) -> OrganisationFilter:
    """The register's filters over the public organisations (shared by page, API and exports).

    Without any filter parameter (the plain register, its deeper pages) the filterset is unbound:
    nothing to validate or filter, and no form to clean.
    """
    if no_filter_given(OrganisationFilter, params):
        params = None
    return OrganisationFilter(params, queryset=public_organisations(), request=request)


def search_term_only(params: Any) -> str | None:
    """The search term when ``params`` filter by one term (``q``) and nothing else, as the filter form
    cleans it (stripped; None when it would be refused: over 200 characters, a NUL); otherwise None.
    Such a request (most searches) needs no filterset: ``searched(term)`` is the filterset's ``qs``."""
    if params is None or [name for name in OrganisationFilter.base_filters if name in params] != ["q"]:
        return None
    values = params.getlist("q")
    if len(values) != 1:
        return None
    term = values[0].strip()
    field = OrganisationFilter.base_filters["q"]
    if len(term) > field.extra.get("max_length", 0) or "\x00" in term:
        return None
    return term


def searched(term: str) -> QuerySet[Organisation]:
    """The public organisations that the register's search finds for a cleaned ``term`` (all for "")."""
    qs = public_organisations()
    return qs.filter(search_q(term)) if term else qs


def public_totals() -> dict[str, int]:
    """How many public organisations have each status, in one query (an index-only scan of ``status``)."""
    rows = (Organisation.objects.exclude(status=MembershipStatus.NONE).order_by().values_list("status")
            .annotate(n=Count("id")))
    return dict(rows)


COUNT_CAP = 1000


def bounded_count(qs: QuerySet[Organisation], cap: int = COUNT_CAP) -> int:
    """The number of rows, counting at most ``cap + 1``: a search's total never costs a scan of the register."""
    return qs.order_by().values("id")[: cap + 1].count()


def organisation_by_uscc(code: str, *, kind_on: date | None = None) -> Organisation | None:
    """The public organisation with this code. With ``kind_on``, ``org.kind_on`` is the kind of its last
    event in force on that day (None before any), read in the same query: ``members.selectors.status_on``
    without a second round trip."""
    from members import uscc as uscc_rules

    code = uscc_rules.normalise(code)
    found = _BY_USCC(code) if kind_on is None else _BY_USCC_ON(code, kind_on)
    return found[0] if found else None


def _by_uscc(code: str, kind_on: date | None = None) -> QuerySet[Organisation]:
    qs = public_organisations().filter(uscc=code)
    if kind_on is not None:
        last = (MembershipEvent.objects.in_force().filter(organisation=OuterRef("pk"), effective_date__lte=kind_on)
                .order_by("-effective_date", "-id").values("kind")[:1])
        qs = qs.annotate(kind_on=Subquery(last))
    return qs.order_by("pk")[:1]


# The status API's read, compiled once (members.core.compiled): the same query for every code and day.
_BY_USCC: Compiled[Organisation] = Compiled(_by_uscc, "str")
_BY_USCC_ON: Compiled[Organisation] = Compiled(_by_uscc, "str", "date")


# A profile's reads, compiled once (members.core.compiled): the same queries for every organisation.
_BY_PK = ById(lambda pk: public_organisations().filter(pk=pk).order_by("pk")[:1])
_PERIODS = ById(lambda pk: Membership.objects.filter(organisation_id=pk).order_by("started_on", "id")
                .only("id", "organisation_id", "started_on", "ended_on", "end_kind"))
_EVENTS = ById(lambda pk: MembershipEvent.objects.filter(organisation_id=pk).order_by("effective_date", "id")
               .only(*EVENT_PUBLIC_FIELDS, "supersedes_id"))


def organisation_by_pk(pk: int) -> Organisation | None:
    found = _BY_PK(pk)
    return found[0] if found else None


def public_periods(org: Organisation) -> list[Membership]:
    return _PERIODS(org.pk)


def public_events(org: Organisation) -> list[MembershipEvent]:
    """Every event, superseded ones included (``superseded_by_event`` names the event that overtook one)."""
    events = _EVENTS(org.pk)
    overtaken = {e.supersedes_id: e for e in events if e.supersedes_id is not None}
    for e in events:
        e.superseded_by_event = overtaken.get(e.pk)  # type: ignore[attr-defined]
    return events


@dataclass(frozen=True)
class HistoryRow:
    """One event of the public history with the organisation's details on its date."""

    event: MembershipEvent
    details: PublicDetails
    corrected: bool = False  # the details of that date were corrected afterwards (the correction shown)


def public_details_history(org: Organisation) -> list[OrganisationDetails]:
    return details_history(org)


def history_rows(org: Organisation, events: list[MembershipEvent],
                 versions: list[OrganisationDetails]) -> list[HistoryRow]:
    """Pair each event with the version in force on its date, without another query."""
    rows = []
    first_day = [v for v in versions if v.valid_from == versions[0].valid_from] if versions else []
    for e in events:
        valid = [v for v in versions if v.valid_from <= e.effective_date] or first_day
        if not valid:
            rows.append(HistoryRow(e, current_details(org)))
            continue
        # Ascending (valid_from, id): the last one wins, a correction over the version it corrects.
        rows.append(HistoryRow(e, PublicDetails(*(getattr(valid[-1], f) for f in DETAIL_FIELDS)),
                               corrected=valid[-1].corrects_id is not None))
    return rows


def scheduled_end_of(periods: list[Membership], today: date) -> Membership | None:
    """The current period if its end is already recorded for a later day (from the loaded periods)."""
    for p in periods:
        if p.started_on <= today and p.ended_on is not None and p.ended_on > today:
            return p
    return None


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
    """A cheap fingerprint of the whole register, read from two indexes without building any page.

    Every public change either saves an organisation (``updated_at`` is ``auto_now`` and the services set
    it) or appends an event (append-only, so the highest id moves). A public organisation cannot be
    deleted (its events protect it). Both are read from an index in one query: no table scan.
    """

    last_modified: datetime | None
    last_event_id: int | None

    @property
    def newest(self) -> datetime | None:
        return self.last_modified

    def token(self) -> str:
        return f"{self.last_modified and self.last_modified.isoformat()}|{self.last_event_id}"


_STAMP_SQL: dict[str, tuple[str, tuple[Any, ...]]] = {}
# The last stamp read per database, until (monotonic clock) it may be out of date.
_STAMP_MEMO: dict[str, tuple[float, RegisterStamp]] = {}


def forget_register_stamp(**kwargs: Any) -> None:
    """The register changed: this process reads the stamp again (now, and once the change commits)."""
    _STAMP_MEMO.clear()
    transaction.on_commit(_STAMP_MEMO.clear)  # another thread may have read it before the commit


def register_stamp() -> RegisterStamp:
    """One query: the newest organisation by ``updated_at`` (an index) with the newest event id beside it.

    Every public request (a 304 included) asks this first, so the SQL is compiled once per database and
    sent as it is: building it through the ORM each time cost more than running it. A process keeps the
    answer for ``REGISTRY_STAMP_MEMO_SECONDS`` (1 s): a change made in this process shows at once (saves
    of organisations, events and details forget it, see ``members.apps``), a change made in another
    process within that second. Inside a transaction the stamp is always read (and never kept), so
    uncommitted rows are never remembered.
    """
    alias = router.db_for_read(Organisation)
    memo = _STAMP_MEMO.get(alias)
    now = time.monotonic()
    if memo is not None and memo[0] > now:
        return memo[1]
    stamp = _read_stamp(alias)
    ttl = settings.REGISTRY_STAMP_MEMO_SECONDS
    if ttl > 0 and not connections[alias].in_atomic_block:
        _STAMP_MEMO[alias] = (now + ttl, stamp)
    return stamp


def _read_stamp(alias: str) -> RegisterStamp:
    if alias not in _STAMP_SQL:
        newest_event = MembershipEvent.objects.order_by("-id").values("id")[:1]
        qs = (Organisation.objects.annotate(last_event=Subquery(newest_event)).order_by("-updated_at")
              .values_list("updated_at", "last_event")[:1])
        _STAMP_SQL[alias] = qs.query.get_compiler(alias).as_sql()
    sql, params = _STAMP_SQL[alias]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return RegisterStamp(None, None)
    updated, last_event = row
    if isinstance(updated, str):  # SQLite hands back text (the ORM's converters are not run here)
        updated = parse_datetime(updated)
    if updated is not None and timezone.is_naive(updated):
        updated = timezone.make_aware(updated, UTC)
    return RegisterStamp(updated, last_event)


# Labels looked up in plain dicts of the active language's strings, translated once per process and
# language: ``get_FOO_display`` rebuilds a dict of every choice on each call and each lazy label is a
# catalogue look-up, which together dominated the time of a list page (34 regions, 20 rows).
_LABELS: dict[str, dict[str, Any]] = {}


def _labels() -> dict[str, Any]:
    from members.filters import PUBLIC_STATUSES, SORT_CHOICES

    language = get_language() or ""
    labels = _LABELS.get(language)
    if labels is None:
        def labelled(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
            return [(value, str(label)) for value, label in choices]

        choices = {"roles": labelled(Role.choices), "regions": labelled(REGIONS),
                   "statuses": labelled(PUBLIC_STATUSES), "sorts": labelled(SORT_CHOICES)}
        labels = _LABELS[language] = {
            "choices": choices, "regions": dict(choices["regions"]),
            "statuses": dict(labelled(MembershipStatus.choices))}
    return labels


def region_name(code: str) -> str:
    return str(_labels()["regions"].get(code, code))


def row_labels() -> dict[str, Any]:
    """The active language's labels (``choices``, ``regions``, ``statuses``),
    for a page that looks up many: read once, not once per row and column."""
    return _labels()


def roles_display(roles: str) -> str:
    return jinja.role_labels(roles)


def status_display(status: str) -> str:
    return str(_labels()["statuses"].get(status, status))


def with_labels(orgs: Iterable[Organisation]) -> list[Organisation]:
    """Attach the display labels a list page shows (``region_name``, ``roles_display``, ``status_display``)."""
    out = list(orgs)
    for org in out:
        org.region_name = region_name(org.region)  # type: ignore[attr-defined]
        org.roles_display = roles_display(org.roles)  # type: ignore[attr-defined]
        org.status_display = status_display(org.status)  # type: ignore[attr-defined]
    return out


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The filter form's options in the active language (the page writes its own, cheaper, markup)."""
    return dict(_labels()["choices"])
