"""Downloads of the register (CSV, JSON) and an Atom feed of membership changes.

Exports stream rows from ``.iterator()`` so the whole file is never held in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from members import uscc as uscc_rules
from members.models import MembershipEvent, MembershipStatus, Organisation, Role
from members.regions import REGIONS

from . import selectors
from .conditional import register_conditional

EXPORT_COLUMNS = ("uscc", "name", "name_en", "roles", "region", "region_name", "website", "status",
                  "joined_on", "left_on")
CHUNK = 2000


def _as_of(params: QueryDict) -> date | None:
    try:
        return date.fromisoformat(params.get("on", "")) if params.get("on") else None
    except ValueError:
        return None


def export_rows_on(on: date) -> Iterator[dict[str, Any]]:
    """The signatories on ``on`` with the details of that date (``?on=YYYY-MM-DD``): the same answer
    whenever it is asked. Sorted by name then code, in Python's code-point order."""
    from members.selectors import details_on_many, memberships_active_on, signatories_on

    regions = dict(REGIONS)
    members = signatories_on(on)
    versions = details_on_many(members, on)
    started = dict(memberships_active_on(on).values_list("organisation_id", "started_on"))
    rows = []
    for org in members.only("id", "uscc", "name", "name_en", "roles", "region", "website").iterator(chunk_size=CHUNK):
        d = versions.get(org.pk)
        name, name_en, roles, region = ((d.name, d.name_en, d.roles, d.region) if d else
                                        (org.name, org.name_en, org.roles, org.region))
        rows.append({
            "uscc": uscc_rules.mask(org.uscc), "name": name, "name_en": name_en,
            "roles": [r for r in roles.split(",") if r], "region": region,
            "region_name": str(regions.get(region, "")), "website": org.website,
            "status": MembershipStatus.SIGNATORY, "joined_on": started[org.pk].isoformat(), "left_on": None,
        })
    rows.sort(key=lambda r: (r["name"], r["uscc"]))
    yield from rows


def export_rows(params: QueryDict) -> Iterator[dict[str, Any]]:
    """Public rows of the register as plain dicts; without a status filter, the current signatories.

    With ``on=YYYY-MM-DD``: the signatories on that date, with the details of that date.
    """
    on = _as_of(params)
    if on is not None:
        yield from export_rows_on(on)
        return
    params = params.copy()
    if not params.get("status"):
        params["status"] = MembershipStatus.SIGNATORY
    filterset = selectors.register_filter(params)
    qs: QuerySet[Organisation] = filterset.ordered()
    regions = dict(REGIONS)
    role_labels = dict(Role.choices)
    for org in qs.values("uscc", "name", "name_en", "roles", "region", "website", "status", "joined_on",
                         "left_on").iterator(chunk_size=CHUNK):
        yield {
            "uscc": uscc_rules.mask(org["uscc"]),
            "name": org["name"],
            "name_en": org["name_en"],
            "roles": [r for r in org["roles"].split(",") if r in role_labels],
            "region": org["region"],
            "region_name": str(regions.get(org["region"], "")),
            "website": org["website"],
            "status": org["status"],
            "joined_on": org["joined_on"].isoformat() if org["joined_on"] else None,
            "left_on": org["left_on"].isoformat() if org["left_on"] else None,
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(params: QueryDict) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheet programs read the file as UTF-8 only with a BOM
    yield writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(params):
        yield writer.writerow([";".join(row[c]) if c == "roles" else (row[c] or "") for c in EXPORT_COLUMNS])


def _json_stream(params: QueryDict) -> Iterator[str]:
    generated = timezone.now().isoformat()
    yield '{"generated_at": ' + json.dumps(generated) + ', "organisations": ['
    first = True
    for row in export_rows(params):
        yield ("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _download(stream: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@register_conditional
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _download(_csv_stream(request.GET), "text/csv; charset=utf-8", f"register-{date.today()}.csv")


@require_safe
@register_conditional
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    return _download(_json_stream(request.GET), "application/json", f"register-{date.today()}.json")


_EVENT_TITLES = {
    MembershipEvent.Kind.JOINED: gettext_lazy("%(name)s 加入公约"),
    MembershipEvent.Kind.WITHDREW: gettext_lazy("%(name)s 退出公约"),
    MembershipEvent.Kind.REVOKED: gettext_lazy("%(name)s 被取消成员资格"),
}


class MembershipChangesFeed(Feed):
    """Joined, withdrew, revoked: the register's changes for anyone to follow without polling."""

    feed_type = Atom1Feed
    title = gettext_lazy("公约成员变动")
    subtitle = gettext_lazy("签署单位的加入、退出与取消成员资格")

    # Absolute links from the configured public address (the sites framework would say example.com).
    def link(self) -> str:
        return settings.SITE_URL + reverse("public:register")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("public:feed")

    def items(self) -> list[MembershipEvent]:
        events = list(selectors.recent_events(50))
        # A scheduled withdrawal a revocation overtook is still an item; it says it never took effect.
        overtaken = dict(MembershipEvent.objects.filter(supersedes_id__in=[e.pk for e in events])
                         .values_list("supersedes_id", "effective_date"))
        for e in events:
            e.superseded_on = overtaken.get(e.pk)  # type: ignore[attr-defined]
        return events

    def item_title(self, item: MembershipEvent) -> str:
        return str(_EVENT_TITLES[MembershipEvent.Kind(item.kind)]) % {"name": item.organisation.name}

    def item_description(self, item: MembershipEvent) -> str:
        text = _("生效日期：%(date)s；依据：%(basis)s。") % {
            "date": item.effective_date.isoformat(), "basis": item.legal_basis,
        }
        if item.kind == MembershipEvent.Kind.REVOKED and item.public_notice:
            text += " " + item.public_notice
        superseded_on = getattr(item, "superseded_on", None)
        if superseded_on is not None:
            text += " " + _("已被 %(d)s 的取消成员资格取代，未生效") % {"d": superseded_on.isoformat()}
        return text

    def item_link(self, item: MembershipEvent) -> str:
        return settings.SITE_URL + reverse("public:profile", args=[item.organisation_id]) + f"#event-{item.pk}"

    def item_guid(self, item: MembershipEvent) -> str:
        return f"urn:registry:membership-event:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: MembershipEvent) -> datetime:
        return item.recorded_at

    def item_updateddate(self, item: MembershipEvent) -> datetime:
        return item.recorded_at


membership_feed = require_safe(register_conditional(MembershipChangesFeed()))
