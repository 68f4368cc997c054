"""Public pages of the register. Only public fields ever reach these templates."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe

from members.core import clock, jinja
from members.core.jinja import ymd
from members.details.selectors import corrected_details_on
from members.filters import SORTS, OrganisationFilter
from members.models import MembershipStatus

from . import on_date, selectors
from .conditional import (
    cached_for_register,
    cached_for_state,
    cached_page,
    register_conditional,
    shell_page,
)
from .paging import decode_cursor, keyset_page

PAGE_SIZES = (20, 50, 100)
DEFAULT_PAGE_SIZE = 20


def page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


@require_safe
@register_conditional
def home(request: HttpRequest) -> HttpResponse:
    """Shadowed by ``convention.home.home`` (mounted first at "/"); kept so that ``public:home`` reverses."""
    totals = cached_for_state(request, "public-totals", selectors.public_totals)
    return render(request, "members/home.html", {"signatory_count": totals.get(MembershipStatus.SIGNATORY, 0)})


@require_safe
@register_conditional
def register(request: HttpRequest) -> HttpResponse:
    """Search and filter the register; a fixed number of queries whatever the page size."""
    def context(shared: bool) -> dict[str, Any]:
        if shared:  # the page cache keeps the whole page
            return {"content": _register_content(request)}
        return {"content": cached_for_register(request, "register-page", lambda: _register_content(request))}

    return cached_page(request, "register", "members/register.html", context, prefetch=("public-totals",))


# Cursor orderings: the sort column, then id (members.filters.SORTS).
_DATE_SORTS = {"joined_on", "-joined_on"}


def _register_content(request: HttpRequest) -> str:
    """One query for the page (keyset), counts from the per-change cache (members.public.conditional)."""
    filterset: OrganisationFilter = selectors.register_filter(request.GET, request=request)
    per_page = page_size(request)
    ordering = SORTS[filterset.sort_key]
    cursor = decode_cursor(request.GET.get("cursor"), value_is_date=filterset.sort_key in _DATE_SORTS)
    page = keyset_page(filterset.qs, (ordering[0], ordering[1]), cursor, per_page)
    totals = cached_for_state(request, "public-totals", selectors.public_totals)
    total, capped = _filtered_total(request, filterset, totals)
    if not capped:
        page.num_pages = max(1, -(-total // per_page))
    query = request.GET.copy()
    for key in ("page", "cursor"):
        query.pop(key, None)
    export_query = request.GET.copy()
    for key in ("page", "cursor", "per_page", "sort"):
        export_query.pop(key, None)
    signatories = totals.get(MembershipStatus.SIGNATORY, 0)
    organisations = selectors.with_labels(page.object_list)
    return jinja.render("members/register_content.jinja", {
        "signatory_text": ngettext("现有签署单位 %(n)s 家。", "现有签署单位 %(n)s 家。", signatories) % {"n": signatories},
        "total_text": _total_text(total, capped),
        "page_text": _page_text(page),
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "total": total,
        "total_capped": capped,
        "signatory_count": signatories,
        "organisations": organisations,
        # Plain tuples: the template unpacks them instead of looking up ten attributes a row.
        "rows": [(o.pk, o.name, o.name_en, o.public_uscc, o.roles_display, o.region_name,  # type: ignore[attr-defined]
                  o.status, o.status_display, ymd(o.joined_on), ymd(o.left_on)) for o in organisations],  # type: ignore[attr-defined]
        "choices": selectors.filter_choices(),
        "selected_roles": request.GET.getlist("role"),
        "profile_prefix": reverse("public:profile", args=[0])[:-2],
        "urls": _register_urls(),
        "query": query.urlencode(),
        "export_query": export_query.urlencode(),
        "page_sizes": PAGE_SIZES,
        "per_page": per_page,
    }, request)


def _register_urls() -> dict[str, str]:
    return {name: reverse(f"public:{name}") for name in ("register", "export_csv", "export_json", "feed", "on_date")}


def _total_text(total: int, capped: bool) -> str:
    if capped:
        return gettext("共找到 %(n)s 家以上单位。") % {"n": total}
    return ngettext("共找到 %(n)s 家单位。", "共找到 %(n)s 家单位。", total) % {"n": total}


def _page_text(page: Any) -> str:
    if page.num_pages:
        return gettext("第 %(n)s 页，共 %(total)s 页") % {"n": page.number, "total": page.num_pages}
    return gettext("第 %(n)s 页") % {"n": page.number}


def _filtered_total(request: HttpRequest, filterset: OrganisationFilter, totals: dict[str, int]) -> tuple[int, bool]:
    """The number of matching organisations and whether it is "more than" ``COUNT_CAP``.

    Without filters, or filtered by status alone, it comes from the per-status totals; otherwise a count
    bounded at ``COUNT_CAP`` rows, computed once per filter and register change (paging does not recount).
    """
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    active = {k: v for k, v in data.items() if k != "sort" and v not in (None, "", [], ())}
    if set(active) <= {"status"}:
        status = active.get("status")
        return (totals.get(status, 0) if status else sum(totals.values())), False
    key = "register-count:" + json.dumps(sorted((k, str(v)) for k, v in active.items()), ensure_ascii=False)
    count = cached_for_state(request, key, lambda: selectors.bounded_count(filterset.qs))
    return min(count, selectors.COUNT_CAP), count > selectors.COUNT_CAP


@require_safe
@register_conditional
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_by_pk(pk)
    if org is None:
        raise Http404
    events = selectors.public_events(org)
    on_form, on = on_date.day_of(request)
    asked = "on" in request.GET
    periods = selectors.public_periods(org)
    versions = selectors.public_details_history(org)
    public_code = org.public_uscc == org.uscc
    content = jinja.render("members/profile_content.jinja", {
        "org": org,
        "on_form": on_form, "on": on if asked else None,
        "on_status": on_date.status_label_on(org, on) if asked and on else "",
        "on_is_signatory": bool(asked and on and on_date.is_signatory_on(org, on)),
        "on_details": corrected_details_on(org, on) if asked and on else None,
        "periods": periods,
        "events": events,
        "history": selectors.history_rows(org, events, versions),
        "versions": versions if len(versions) > 1 else [],
        "scheduled_end": selectors.scheduled_end_of(periods, clock.today()),
        "today": clock.today(),
        "notices": selectors.public_notices(events),
        "site_root": f"{request.scheme}://{request.get_host()}",
        "urls": {
            "register": reverse("public:register"), "profile": reverse("public:profile", args=[org.pk]),
            "badge": reverse("transparency:badge", args=[org.pk]), "log_entries": reverse("log-entries"),
            "how": reverse("transparency:how"),
            "notice_pdf_prefix": reverse("complaints:notice_pdf", args=[0])[:-len("0.pdf")],
            "api": reverse("api-organisation-detail", args=[org.uscc]) if public_code else "",
        },
    }, request)
    return shell_page(request, "profile", "members/profile.html", content, org.name)


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The cheapest view on the same stack: the benchmark's floor (only mounted for benchmarks)."""
    return HttpResponse("ok", content_type="text/plain")
