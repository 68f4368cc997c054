"""Public pages of the convention's text: the current version, earlier versions, differences."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from convention.text import selectors
from convention.text.reference import with_reference


def current(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    articles = with_reference(selectors.articles_of(version)) if version else []
    return render(request, "convention/version.html", {
        "version": version, "articles": articles, "is_current": True, "versions": selectors.versions(),
    })


def versions(request: HttpRequest) -> HttpResponse:
    current_version = selectors.current_version()
    return render(request, "convention/versions.html", {
        "versions": selectors.versions(), "current": current_version,
    })


def version(request: HttpRequest, number: int) -> HttpResponse:
    found = selectors.version_by_number(number)
    if found is None:
        raise Http404
    current_version = selectors.current_version()
    return render(request, "convention/version.html", {
        "version": found, "articles": with_reference(selectors.articles_of(found)),
        "is_current": current_version is not None and current_version.pk == found.pk,
        "versions": selectors.versions(),
    })


def diff(request: HttpRequest) -> HttpResponse:
    """Article-by-article difference between two versions: ?from=1&to=2."""
    all_versions = list(selectors.versions())
    try:
        old_n = int(request.GET.get("from", ""))
        new_n = int(request.GET.get("to", ""))
    except ValueError:
        if len(all_versions) >= 2:
            return redirect(f"{request.path}?from={all_versions[1].number}&to={all_versions[0].number}")
        return render(request, "convention/diff.html", {"versions": all_versions, "error": None, "rows": None})
    by_number = {v.number: v for v in all_versions}
    old, new = by_number.get(old_n), by_number.get(new_n)
    if old is None or new is None:
        return render(request, "convention/diff.html", {
            "versions": all_versions, "error": _("所选版本不存在。"), "rows": None,
        }, status=404)
    rows = selectors.version_diff(old, new)
    return render(request, "convention/diff.html", {
        "versions": all_versions, "old": old, "new": new, "rows": rows,
        "changed_count": sum(1 for r in rows if r.change != "unchanged"),
    })
