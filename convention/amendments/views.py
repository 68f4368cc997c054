"""Public pages of the amendment process: proposals, ballots, the named tally and the electorate list."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from convention.amendments import selectors
from convention.amendments.models import Ballot, Proposal, ProposalChange
from convention.text.selectors import diff_text


def amendments(request: HttpRequest) -> HttpResponse:
    return render(request, "convention/proposals/list.html", {
        "proposals": selectors.public_proposals(),
        "ballots": selectors.public_ballots(),
    })


def change_rows(proposal: Proposal) -> list[dict[str, Any]]:
    """Each change beside the text it replaces (from the version the proposal was drafted on).

    A modified article also carries its character-level difference, so the page marks only the words
    that change instead of striking the whole article out and writing it again.
    """
    old = {a.number: a for a in proposal.base_version.articles.all()}
    rows = []
    for change in proposal.changes.all():
        before = old.get(change.article_number)
        segments = diff_text(before.text, change.new_text) \
            if before is not None and change.kind == ProposalChange.Kind.AMEND else []
        rows.append({
            "old_segments": [s for s in segments if s.op != "insert"],
            "new_segments": [s for s in segments if s.op != "delete"],
            "change": change, "label": before.label if before else None,
            "old_paragraphs": before.paragraphs if before else [],
            "new_paragraphs": [p for p in change.new_text.split("\n") if p]
            if change.kind != ProposalChange.Kind.REMOVE else [],
        })
    return rows


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(selectors.public_proposals(), pk=pk)
    return render(request, "convention/proposals/detail.html", {
        "proposal": proposal, "rows": change_rows(proposal),
        "sponsors": selectors.active_sponsorships(proposal),
        "ballot": getattr(proposal, "ballot", None),
    })


def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_object_or_404(Ballot.objects.select_related("proposal__resulting_version"), pk=pk)
    return render(request, "convention/ballots/detail.html", {
        "ballot": ballot, "record": (record := selectors.ballot_record(ballot)),
        "awaiting_close": record["status"].awaiting_job,  # type: ignore[attr-defined]
    })


def ballot_electorate(request: HttpRequest, pk: int) -> HttpResponse:
    """E's canonical list as plain text: ``sha256sum`` of this file equals the published hash."""
    ballot = get_object_or_404(Ballot, pk=pk)
    from convention.amendments.tally import electorate_text

    text = electorate_text(ballot.electorate.values_list("public_uscc", flat=True))
    if not text and ballot.electorate_size:
        raise Http404
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}-electorate.txt"'
    return response
