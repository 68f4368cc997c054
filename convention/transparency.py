"""The convention's public facts in the public log: versions, ballot openings and ballot results.

Registered from ``ConventionConfig.ready`` so that ``members.transparency`` never imports the convention.
A version's entry carries the SHA-256 of its articles in canonical form (number, chapter, chapter title,
text). Version 2 of each kind adds the dates a reader needs to know when the fact takes effect: a
convention version's effective date (null while the executive body has not announced it, as for
version 1 at first), a ballot's opening and deadline days, and its result's day and, if adopted, the
day the amendment takes effect. Entries logged as version 1 keep their bytes and are re-derived with
the version 1 bodies below. Days are in the register's time zone (``TIME_ZONE``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from members.transparency.canonical import EntryKind, canonical_bytes, iso_date, iso_time, register

from .amendments.models import Ballot, BallotOutcome, BallotState
from .text.models import ConventionVersion


def articles_sha256(version: ConventionVersion) -> str:
    rows = [[a.number, a.chapter_number, a.chapter_title, a.text] for a in version.articles.order_by("number")]
    return hashlib.sha256(canonical_bytes({"articles": rows})).hexdigest()


def _version_body_v1(v: ConventionVersion) -> dict[str, Any]:
    return {"number": v.number, "title": v.title, "articles_sha256": articles_sha256(v)}


def _version_body(v: ConventionVersion) -> dict[str, Any]:
    return {**_version_body_v1(v), "effective_date": iso_date(v.effective_date)}


def _day(moment: Any) -> str | None:
    return iso_date(timezone.localtime(moment).date()) if moment else None


def _versions() -> QuerySet[ConventionVersion]:
    return ConventionVersion.objects.order_by("created_at", "number")


def _opened_body_v1(b: Ballot) -> dict[str, Any]:
    return {
        "ballot_id": b.pk, "proposal_id": b.proposal_id, "proposal_title": b.proposal.title,
        "opened_at": iso_time(b.opened_at), "deadline": iso_time(b.deadline),
        "effective_date_if_adopted": iso_date(b.effective_date), "electorate_size": b.electorate_size,
        "electorate_sha256": b.electorate_sha256, "yes_needed": b.yes_needed,
    }


def _opened_body(b: Ballot) -> dict[str, Any]:
    return {**_opened_body_v1(b), "opened_on": _day(b.opened_at), "deadline_on": _day(b.deadline)}


def _closed_body_v1(b: Ballot) -> dict[str, Any]:
    return {
        "ballot_id": b.pk, "closed_at": iso_time(b.closed_at), "close_reason": b.close_reason,
        "outcome": b.outcome, "electorate_size": b.electorate_size, "yes": b.yes_count, "no": b.no_count,
        "abstain": b.abstain_count, "lost": b.lost_count,
    }


def _closed_body(b: Ballot) -> dict[str, Any]:
    """Version 2: the deadline, the day of the result and, if adopted, the day the amendment takes effect
    (the date set at opening, else the day of the result, as ``amendments.services._close`` decides)."""
    decided = timezone.localtime(b.closed_at).date() if b.closed_at else None
    effective = (max(b.effective_date or decided, decided)
                 if b.outcome == BallotOutcome.ADOPTED and decided else None)
    return {**_closed_body_v1(b), "deadline": iso_time(b.deadline), "decided_on": iso_date(decided),
            "effective_date": iso_date(effective)}


def _ballots() -> QuerySet[Ballot]:
    return Ballot.objects.select_related("proposal").order_by("opened_at", "id")


def _closed() -> QuerySet[Ballot]:
    return _ballots().filter(state=BallotState.CLOSED).order_by("closed_at", "id")


def register_kinds() -> None:
    register(EntryKind(name="convention_version", version=2, body=_version_body, rows=_versions,
                       time=lambda v: v.created_at, get=lambda pk: _versions().get(pk=pk),
                       older={1: _version_body_v1}))
    register(EntryKind(name="ballot_opened", version=2, body=_opened_body, rows=_ballots,
                       time=lambda b: b.opened_at, get=lambda pk: _ballots().get(pk=pk),
                       older={1: _opened_body_v1}))
    register(EntryKind(name="ballot_closed", version=2, body=_closed_body, rows=_closed,
                       time=lambda b: b.closed_at, get=lambda pk: _closed().get(pk=pk),
                       older={1: _closed_body_v1}))
