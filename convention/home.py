"""The home page: what a visitor looks for first (how many signatories, the latest bulletin, notices and
convention news, how to join, search). It lives with the project wiring because it reads every app."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Subquery
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import condition, require_safe

from complaints.selectors import public_notices
from convention.amendments.models import Ballot
from convention.amendments.selectors import public_ballots
from convention.text.models import ConventionVersion
from convention.text.selectors import current_version, versions
from members.models import MembershipStatus
from members.public.conditional import (
    cached_for_state,
    cached_whole_page,
    register_etag,
    register_last_modified,
)
from members.public.selectors import public_totals
from members.publications.models import Publication, PublicationState
from members.publications.selectors import published_publications

NEWS_ITEMS = 3


def _news(request: HttpRequest) -> dict[str, Any]:
    """One query over what the home page shows beside the register: bulletins, versions, ballots."""
    cached = getattr(request, "_home_news", None)
    if cached is None:
        published = Publication.objects.filter(state=PublicationState.PUBLISHED)
        cached = ConventionVersion.objects.aggregate(
            versions=Count("id"), version_at=Max("created_at"),
            bulletin_at=Max(Subquery(published.order_by("-published_at").values("published_at")[:1])),
            ballot_at=Max(Subquery(Ballot.objects.order_by("-opened_at").values("opened_at")[:1])),
            closed_at=Max(Subquery(
                Ballot.objects.exclude(closed_at=None).order_by("-closed_at").values("closed_at")[:1])),
        )
        request._home_news = cached  # type: ignore[attr-defined]
    return cached


def _news_digest(request: HttpRequest) -> str:
    return hashlib.sha256(repr(sorted(_news(request).items())).encode()).hexdigest()[:16]


def home_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return hashlib.sha256((register_etag(request) + _news_digest(request)).encode()).hexdigest()[:32]


def home_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    times = [t for k, t in _news(request).items() if k.endswith("_at") and t]
    newest = register_last_modified(request)
    return max([*times, newest]) if newest else (max(times) if times else None)


@require_safe
@condition(etag_func=home_etag, last_modified_func=home_last_modified)
def home(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        return {
            # Counted once per register change (a count over every organisation cost 25 ms at 100,000).
            "signatory_count": cached_for_state(request, "public-totals", public_totals).get(
                MembershipStatus.SIGNATORY, 0),
            "bulletin": published_publications().first(),
            "notices": list(public_notices()[:NEWS_ITEMS]),
            "current_version": current_version(),
            "versions": list(versions()[:NEWS_ITEMS]),
            "ballots": list(public_ballots()[:NEWS_ITEMS]),
        }

    # The same for every anonymous visitor until the register or the news (bulletins, versions, ballots)
    # change: the news are in the key as they are in the ETag.
    return cached_whole_page(request, f"home:{_news_digest(request)}", "members/home.html", context)
