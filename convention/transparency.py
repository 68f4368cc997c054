"""The convention's public facts in the public log: versions, ballot openings and ballot results.

Registered from ``ConventionConfig.ready`` so that ``members.transparency`` never imports the convention.
A version's entry carries the SHA-256 of its articles in canonical form (number, chapter, chapter title,
text), not the effective date, which the executive body may announce later for version 1.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from members.transparency.canonical import EntryKind, canonical_bytes, iso_date, iso_time, register

from .amendments.models import Ballot, BallotState
from .text.models import ConventionVersion


def articles_sha256(version: ConventionVersion) -> str:
    rows = [[a.number, a.chapter_number, a.chapter_title, a.text] for a in version.articles.order_by("number")]
    return hashlib.sha256(canonical_bytes({"articles": rows})).hexdigest()


def _version_body(v: ConventionVersion) -> dict[str, Any]:
    return {"number": v.number, "title": v.title, "articles_sha256": articles_sha256(v)}


def _versions() -> QuerySet[ConventionVersion]:
    return ConventionVersion.objects.order_by("created_at", "number")


def _opened_body(b: Ballot) -> dict[str, Any]:
    return {
        "ballot_id": b.pk, "proposal_id": b.proposal_id, "proposal_title": b.proposal.title,
        "opened_at": iso_time(b.opened_at), "deadline": iso_time(b.deadline),
        "effective_date_if_adopted": iso_date(b.effective_date), "electorate_size": b.electorate_size,
        "electorate_sha256": b.electorate_sha256, "yes_needed": b.yes_needed,
    }


def _closed_body(b: Ballot) -> dict[str, Any]:
    return {
        "ballot_id": b.pk, "closed_at": iso_time(b.closed_at), "close_reason": b.close_reason,
        "outcome": b.outcome, "electorate_size": b.electorate_size, "yes": b.yes_count, "no": b.no_count,
        "abstain": b.abstain_count, "lost": b.lost_count,
    }


def _ballots() -> QuerySet[Ballot]:
    return Ballot.objects.select_related("proposal").order_by("opened_at", "id")


def _closed() -> QuerySet[Ballot]:
    return _ballots().filter(state=BallotState.CLOSED).order_by("closed_at", "id")


def register_kinds() -> None:
    register(EntryKind(name="convention_version", version=1, body=_version_body, rows=_versions,
                       time=lambda v: v.created_at, get=lambda pk: _versions().get(pk=pk)))
    register(EntryKind(name="ballot_opened", version=1, body=_opened_body, rows=_ballots,
                       time=lambda b: b.opened_at, get=lambda pk: _ballots().get(pk=pk)))
    register(EntryKind(name="ballot_closed", version=1, body=_closed_body, rows=_closed,
                       time=lambda b: b.closed_at, get=lambda pk: _closed().get(pk=pk)))
