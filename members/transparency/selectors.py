"""Reads of the public log: sizes, heads, proofs and entries."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, QuerySet

from . import merkle
from .models import LogEntry, LogState
from .services import _fetch_nodes


@dataclass(frozen=True)
class Head:
    size: int
    root: bytes

    def as_dict(self) -> dict[str, Any]:
        return {"size": self.size, "root": base64.b64encode(self.root).decode(), "root_hex": self.root.hex()}


def b64(values: list[bytes]) -> list[str]:
    return [base64.b64encode(v).decode() for v in values]


def log_size() -> int:
    state = LogState.objects.filter(pk=1).first()
    return state.size if state else 0


def _run(algorithm: Any) -> Any:
    """Run a Merkle algorithm on the stored complete nodes, fetched in one query."""
    nodes = _fetch_nodes(merkle.needed_nodes(algorithm))
    return algorithm(merkle.from_mapping(nodes))


def head(size: int | None = None) -> Head:
    n = log_size() if size is None else size
    if not 0 <= n <= log_size():
        raise ValueError(n)
    return Head(n, _run(lambda get: merkle.root(get, n)))


def inclusion_proof(index: int, size: int) -> list[bytes]:
    if not 0 <= index < size <= log_size():
        raise ValueError((index, size))
    return _run(lambda get: merkle.inclusion_path(get, index, size))


def consistency_proof(first: int, second: int) -> list[bytes]:
    if not 0 < first <= second <= log_size():
        raise ValueError((first, second))
    return _run(lambda get: merkle.consistency_path(get, first, second))


def period_cutoff(period_end: date) -> datetime:
    """The end of a period's last day in the register's time zone."""
    return datetime.combine(period_end + timedelta(days=1), time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def size_at(moment: datetime) -> int:
    """The tree size of the log as of ``moment``: up to and including the last entry logged before it.

    The log is ordered by commit and an append takes its time under the log's lock, so entries logged
    before ``moment`` are a prefix of the log; once ``moment`` has passed nothing is ever added to that
    prefix (only ``log_backfill`` dates entries in the past, for facts older than the log itself).
    """
    last = LogEntry.objects.filter(logged_at__lt=moment).aggregate(last=Max("index"))["last"]
    return 0 if last is None else last + 1


def head_at_period_end(period_end: date) -> Head:
    """The head covering exactly the facts logged by the end of ``period_end`` (register time zone)."""
    return head(size_at(period_cutoff(period_end)))


def entries(start: int = 0) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(index__gte=start).order_by("index")


def entry_by_leaf(leaf_hex: str) -> LogEntry | None:
    return LogEntry.objects.filter(leaf_hash=leaf_hex.lower()).order_by("index").first()


def entries_of_organisation(org_id: int) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(organisation_id=org_id).order_by("index")


def file_sha256(path: Any) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
