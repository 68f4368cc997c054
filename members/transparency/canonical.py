"""The canonical form of a log entry, and the registry of entry kinds.

Canonical form (format ``register-log/1``): a JSON object, UTF-8, keys sorted, no insignificant
whitespace (separators ``,`` and ``:``), non-ASCII characters as themselves, no floats. Every entry
names its ``kind`` and the kind's ``v`` (version of that kind's fields). Dates are ISO 8601
(``YYYY-MM-DD``), times ISO 8601 in UTC with seconds (``YYYY-MM-DDTHH:MM:SSZ``). Only public fields
enter an entry; each kind lists its fields in ``FIELDS`` and a test checks no private value appears.

Versions: an entry keeps the bytes it was logged with. When a kind gains fields its ``v`` goes up and
the body function of each earlier ``v`` stays in ``older``, so ``verify_register`` re-derives every
entry with the version it names (an old entry without the new fields stays verifiable) while new
entries are written with the latest version.

A kind says how to derive an entry from its source row (``body``), which rows must be logged
(``rows``), when each row's fact came to be (``time``, to order a backfill) and, if any, the
organisation it concerns. Apps register their kinds (``register``) so that this package never imports
the apps built on ``members`` (convention, complaints).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

FORMAT = "register-log/1"


def canonical_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def iso_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class EntryKind:
    name: str
    version: int
    body: Callable[[Any], dict[str, Any]]
    rows: Callable[[], Iterable[Any]]
    time: Callable[[Any], datetime]
    get: Callable[[int], Any]
    organisation_id: Callable[[Any], int | None] = lambda row: None
    # Loads in a few queries what ``body`` would otherwise read row by row (backfills, verification).
    prepare: Callable[[list[Any]], None] = lambda rows: None
    # The body functions of earlier versions of this kind, to re-derive entries logged with them.
    older: Mapping[int, Callable[[Any], dict[str, Any]]] = field(default_factory=dict)

    def entry(self, row: Any, version: int | None = None) -> bytes:
        """The canonical bytes of ``row``'s entry in ``version`` of this kind (the latest by default)."""
        v = self.version if version is None else version
        body = self.body if v == self.version else self.older.get(v)
        if body is None:
            raise KeyError(f"{self.name} has no version {v}")
        return canonical_bytes({"format": FORMAT, "kind": self.name, "v": v, **body(row)})

    def source(self, row: Any) -> str:
        return f"{self.name}:{row.pk}"


KINDS: dict[str, EntryKind] = {}


def register(kind: EntryKind) -> EntryKind:
    KINDS[kind.name] = kind
    return kind
