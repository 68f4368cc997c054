"""Public pages of the register. Only public fields ever reach these templates."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe
from markupsafe import escape

from members import uscc as uscc_rules
from members.core import clock, jinja
from members.core.filtering import no_filter_given
from members.core.jinja import ymd
from members.details.selectors import corrected_details_on
from members.filters import DEFAULT_SORT, SORTS, OrganisationFilter
from members.models import MembershipStatus

from . import on_date, selectors
from .conditional import (
    cached_for_register,
    cached_for_state,
    cached_page,
    keep_state_value,
    register_conditional,
    shell_page,
    state_value,
)
from .paging import KeysetShapes, decode_cursor, first_page_with_count, keyset_page

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

    prefetch = ("public-totals",) if no_filter_given(OrganisationFilter, request.GET) else (
        "public-totals", _params_count_key(request.GET))
    return cached_page(request, "register", "members/register.html", context, prefetch=prefetch)


# Cursor orderings: the sort column, then id (members.filters.SORTS).
_DATE_SORTS = {"joined_on", "-joined_on"}


# The columns a register row shows, read as plain tuples (no model instances): the sort value for the
# cursor comes from ``name_sort`` or ``joined_on``, at the positions below.
_ROW_FIELDS = ("id", "name_sort", "name", "name_en", "uscc", "roles", "region", "status", "joined_on", "left_on")
_POSITION = {"name_sort": 1, "joined_on": 8}
_PLAIN_ROWS = KeysetShapes(lambda: selectors.public_organisations().values_list(*_ROW_FIELDS, named=True))


def _register_content(request: HttpRequest) -> str:
    """One query for the page (keyset), counts from the per-change cache (members.public.conditional).

    Without a filter parameter (the plain register and its deeper pages) there is nothing to validate:
    no filterset or form is built, and the form shows its defaults.
    """
    filterset: OrganisationFilter | None = None
    plain = no_filter_given(OrganisationFilter, request.GET)
    term = None if plain else selectors.search_term_only(request.GET)
    status: str | None = None
    form_data: Any
    form_errors: Any
    if plain:
        qs, sort_key, form_data, form_errors = selectors.public_organisations(), DEFAULT_SORT, {}, {}
        count_key = None
    elif term is not None:  # a search and nothing else: what the filterset would do, without building it
        qs, sort_key, form_data, form_errors = selectors.searched(term), DEFAULT_SORT, request.GET, {}
        count_key = _params_count_key(request.GET) if term else None
    else:
        filterset = selectors.register_filter(request.GET, request=request)
        qs, sort_key = filterset.qs, filterset.sort_key
        form_data, form_errors = filterset.form.data, filterset.form.errors
        count_key = _count_key(filterset, request.GET)
        status = filterset.form.cleaned_data.get("status") if filterset.is_bound else None
    per_page = page_size(request)
    ordering = SORTS[sort_key]
    cursor = decode_cursor(request.GET.get("cursor"), value_is_date=sort_key in _DATE_SORTS)
    at = _POSITION[ordering[0].lstrip("-")]
    rows_qs = qs.values_list(*_ROW_FIELDS, named=True)
    page, count = None, None
    if count_key is not None and cursor is None:
        count = state_value(request, count_key)
        if count is None:  # a filter not seen since the register changed: its page and count in one query
            page, count = first_page_with_count(rows_qs, (ordering[0], ordering[1]), per_page, selectors.COUNT_CAP, at)
            keep_state_value(request, count_key, count)
    if page is None:
        position = lambda row: (row[at], row[0])  # noqa: E731
        if plain:  # the plain register: the same query but for the cursor, compiled once
            page = _PLAIN_ROWS.page((ordering[0], ordering[1]), cursor, per_page, position)
        else:
            page = keyset_page(rows_qs, (ordering[0], ordering[1]), cursor, per_page, position=position)
    totals = cached_for_state(request, "public-totals", selectors.public_totals)
    total, capped = _filtered_total(request, qs, status, totals, count_key, count)
    if not capped:
        page.num_pages = max(1, -(-total // per_page))
    query = request.GET.copy()
    for key in ("page", "cursor"):
        query.pop(key, None)
    export_query = request.GET.copy()
    for key in ("page", "cursor", "per_page", "sort"):
        export_query.pop(key, None)
    signatories = totals.get(MembershipStatus.SIGNATORY, 0)
    labels = selectors.row_labels()
    urls = _register_urls()
    regions, statuses = labels["regions"], labels["statuses"]
    rows = [(pk, name, name_en, uscc_rules.mask(code), selectors.roles_display(roles),
             regions.get(region, region), status, statuses.get(status, status), ymd(joined), ymd(left))
            for pk, _sort, name, name_en, code, roles, region, status, joined, left in page.object_list]
    form_html = _register_form(request, form_data, form_errors, labels["choices"], urls, per_page)
    return jinja.render("members/register_content.jinja", {
        "form_html": form_html,
        "rows_html": _rows_markup(rows, urls["profile_prefix"]),
        "signatory_text": ngettext("现有签署单位 %(n)s 家。", "现有签署单位 %(n)s 家。", signatories) % {"n": signatories},
        "total_text": _total_text(total, capped),
        "page_text": _page_text(page),
        "filter": filterset,
        "form_data": form_data,
        "form_errors": form_errors,
        "page": page,
        "total": total,
        "total_capped": capped,
        "signatory_count": signatories,
        "organisations": page.object_list,
        "rows": rows,
        "choices": labels["choices"],
        "selected_roles": request.GET.getlist("role"),
        "profile_prefix": urls["profile_prefix"],
        "urls": urls,
        "query": query.urlencode(),
        "export_query": export_query.urlencode(),
        "page_sizes": PAGE_SIZES,
        "per_page": per_page,
    }, request)


_URLS: dict[tuple[Any, ...], dict[str, str]] = {}


# Stands for the search term in the kept form; not something escaping changes.
_Q_PLACEHOLDER = "q-value-" + "0" * 24
_FORM_FIELDS = ("region", "status", "role", "joined_from", "joined_to", "sort")


def _register_form(request: HttpRequest, form_data: Any, form_errors: Any, choices: Any, urls: dict[str, str],
                   per_page: int) -> SafeString:
    """The search and filter form. Without errors and without any filter but the term (the plain
    register, its pages and every search) it is the same markup but for the term: rendered once per
    language, page size and address, the escaped term put in for its placeholder."""
    def render(q_value: str) -> SafeString:
        return jinja.render("members/register_form.jinja", {
            "form_data": form_data, "form_errors": form_errors, "q_value": q_value, "choices": choices,
            "selected_roles": request.GET.getlist("role"), "urls": urls, "page_sizes": PAGE_SIZES,
            "per_page": per_page}, request)

    if form_errors or any(form_data.get(name) for name in _FORM_FIELDS):
        return render(form_data.get("q") or "")
    form = jinja.kept(("register-form", per_page, urls["register"]), lambda: render(_Q_PLACEHOLDER))
    return mark_safe(form.replace(_Q_PLACEHOLDER, str(escape(form_data.get("q") or ""))))  # noqa: S308 - escaped


def _rows_markup(rows: list[tuple[Any, ...]], profile_prefix: str) -> SafeString:
    """The register's table rows (each a card on a phone, its labels in ``data-label``), written here
    rather than by the template: twenty rows of ten escaped values were a third of the fragment's time.
    ``tests/public/test_register_rows.py`` holds it to the template loop it replaced."""
    e, _ = escape, jinja.gettext
    l_uscc, l_roles, l_region, l_status, l_joined, l_left = (
        _("统一社会信用代码"), _("角色"), _("地区"), _("状态"), _("加入日期"), _("退出/取消日期"))
    prefix = e(profile_prefix)
    out = []
    for pk, name, name_en, uscc, roles, region, status, status_label, joined, left in rows:
        english = f'<br><span class="muted">{e(name_en)}</span>' if name_en else ""
        empty = "" if left else ' class="empty"'
        out.append(
            f'<tr>\n  <td class="card-title"><a href="{prefix}{e(pk)}/">{e(name)}</a>{english}</td>\n'
            f'  <td data-label="{l_uscc}" class="code">{e(uscc)}</td><td data-label="{l_roles}">{e(roles)}</td>'
            f'<td data-label="{l_region}">{e(region)}</td>\n'
            f'  <td data-label="{l_status}"><span class="badge {e(status)}">{e(status_label)}</span></td>\n'
            f'  <td data-label="{l_joined}"><span class="date">{e(joined)}</span></td>'
            f'<td data-label="{l_left}"{empty}><span class="date">{e(left)}</span></td>\n</tr>')
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above, the labels are the catalogue's


def _register_urls() -> dict[str, str]:
    """The page's links, reversed once per script prefix and URLconf (six ``reverse`` calls a request)."""
    key = (get_script_prefix(), get_urlconf())
    urls = _URLS.get(key)
    if urls is None:
        urls = _URLS[key] = {name: reverse(f"public:{name}") for name in (
            "register", "export_csv", "export_json", "feed", "on_date")}
        urls["profile_prefix"] = reverse("public:profile", args=[0])[:-2]
    return urls


def _total_text(total: int, capped: bool) -> str:
    if capped:
        return gettext("共找到 %(n)s 家以上单位。") % {"n": total}
    return ngettext("共找到 %(n)s 家单位。", "共找到 %(n)s 家单位。", total) % {"n": total}


def _page_text(page: Any) -> str:
    if page.num_pages:
        return gettext("第 %(n)s 页，共 %(total)s 页") % {"n": page.number, "total": page.num_pages}
    return gettext("第 %(n)s 页") % {"n": page.number}


def _count_key(filterset: OrganisationFilter | None, params: Any) -> str | None:
    """The cache key of the filter's bounded count; None when the per-status totals answer (no filter,
    or a filter by status alone)."""
    data = filterset.form.cleaned_data if filterset is not None and filterset.is_bound else {}
    active = {k: v for k, v in data.items() if k != "sort" and v not in (None, "", [], ())}
    if set(active) <= {"status"}:
        return None
    return _params_count_key(params)


def _params_count_key(params: Any) -> str:
    """The count's key from the filter parameters as given (the same parameters, the same count), so
    that it can be read with the page's shell before the filters are validated."""
    items = sorted((name, value) for name in OrganisationFilter.base_filters if name != "sort"
                   for value in params.getlist(name))
    return "register-count:" + json.dumps(items, ensure_ascii=False)


def _filtered_total(request: HttpRequest, qs: Any, status: str | None, totals: dict[str, int],
                    count_key: str | None, count: int | None) -> tuple[int, bool]:
    """The number of matching organisations and whether it is "more than" ``COUNT_CAP``.

    Without filters, or filtered by ``status`` alone, it comes from the per-status totals; otherwise a
    count of ``qs`` bounded at ``COUNT_CAP`` rows (``count`` when the page's query gave it), computed
    once per filter and register change (paging does not recount).
    """
    if count_key is None:
        return (totals.get(status, 0) if status else sum(totals.values())), False
    if count is None:
        count = cached_for_state(request, count_key, lambda: selectors.bounded_count(qs))
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
        "urls": _profile_urls(org.pk, org.uscc if public_code else ""),
    }, request)
    return shell_page(request, "profile", "members/profile.html", content, org.name)


_PK_MARK, _CODE_MARK = 987_654_321_987, "CODEMARK0000000000"


def _profile_urls(pk: int, uscc: str) -> dict[str, str]:
    """A profile's links: reversed once per script prefix and URLconf with marks for the id and the
    code, then the marks replaced (seven ``reverse`` calls were a tenth of a profile). A code that is
    not plain letters and digits (only those are public codes) is reversed as usual."""
    key = ("profile", get_script_prefix(), get_urlconf())
    marked = _URLS.get(key)
    if marked is None:
        marked = _URLS[key] = {
            "register": reverse("public:register"), "profile": reverse("public:profile", args=[_PK_MARK]),
            "badge": reverse("transparency:badge", args=[_PK_MARK]), "log_entries": reverse("log-entries"),
            "how": reverse("transparency:how"),
            "notice_pdf_prefix": reverse("complaints:notice_pdf", args=[0])[:-len("0.pdf")],
            "api": reverse("api-organisation-detail", args=[_CODE_MARK]),
        }
    mark, number = str(_PK_MARK), str(int(pk))
    urls = {name: url.replace(mark, number) for name, url in marked.items()}
    if not uscc:
        urls["api"] = ""
    elif uscc.isascii() and uscc.isalnum():
        urls["api"] = marked["api"].replace(_CODE_MARK, uscc)
    else:
        urls["api"] = reverse("api-organisation-detail", args=[uscc])
    return urls


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The cheapest view on the same stack: the benchmark's floor (only mounted for benchmarks)."""
    return HttpResponse("ok", content_type="text/plain")
