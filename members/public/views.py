"""Public pages of the register. Only public fields ever reach these templates."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from members.core import clock
from members.filters import OrganisationFilter

from . import selectors
from .conditional import cached_for_register, register_conditional

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
    return render(request, "members/home.html", {"signatory_count": selectors.current_signatory_count()})


@require_safe
@register_conditional
def register(request: HttpRequest) -> HttpResponse:
    """Search and filter the register; a fixed number of queries whatever the page size."""
    content = cached_for_register(request, "register-page", lambda: _register_content(request))
    return render(request, "members/register.html", {"content": content})


def _register_content(request: HttpRequest) -> str:
    filterset: OrganisationFilter = selectors.register_filter(request.GET, request=request)
    paginator = Paginator(filterset.ordered(), page_size(request))
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export_query = request.GET.copy()
    for key in ("page", "per_page", "sort"):
        export_query.pop(key, None)
    return render_to_string("members/_register_content.html", {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "organisations": selectors.with_labels(page.object_list),
        "signatory_count": selectors.current_signatory_count(),
        "choices": selectors.filter_choices(),
        "selected_roles": request.GET.getlist("role"),
        "profile_prefix": reverse("public:profile", args=[0])[:-2],
        "query": query.urlencode(),
        "export_query": export_query.urlencode(),
        "page_sizes": PAGE_SIZES,
        "per_page": paginator.per_page,
    }, request=request)


@require_safe
@register_conditional
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_by_pk(pk)
    if org is None:
        raise Http404
    events = selectors.public_events(org)
    periods = selectors.public_periods(org)
    versions = selectors.public_details_history(org)
    return render(request, "members/profile.html", {
        "org": org,
        "periods": periods,
        "events": events,
        "history": selectors.history_rows(org, events, versions),
        "versions": versions if len(versions) > 1 else [],
        "scheduled_end": selectors.scheduled_end_of(periods, clock.today()),
        "today": clock.today(),
        "notices": selectors.public_notices(events),
    })


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The cheapest view on the same stack: the benchmark's floor (only mounted for benchmarks)."""
    return HttpResponse("ok", content_type="text/plain")
