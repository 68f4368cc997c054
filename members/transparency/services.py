"""Appending to the public log. The only writer of ``LogEntry``, ``LogNode`` and ``LogState``.

Services call ``log_append`` inside the transaction that creates the public fact, so the fact and
its entry commit or roll back together. Appends are serialised by a row lock on ``LogState`` taken
last (after the service's own locks), so the order of the log is the order of commits. Service locks
are FOR NO KEY UPDATE, so holding one never blocks another transaction's insert that references the
row, which could otherwise wait on this lock's holder while holding the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from members.core import clock

from . import merkle
from .canonical import KINDS, EntryKind
from .models import LogEntry, LogNode, LogState


def _lock_state() -> LogState:
    state = LogState.objects.select_for_update(no_key=True).filter(pk=1).first()
    if state is None:
        try:
            with transaction.atomic():
                LogState.objects.create(pk=1, size=0)
        except IntegrityError:
            pass  # created by a concurrent first append
        state = LogState.objects.select_for_update(no_key=True).get(pk=1)
    return state


def _frontier(size: int) -> dict[merkle.NodeId, bytes]:
    """The complete nodes the next leaves will pair with: one per set bit of ``size``."""
    wanted: list[merkle.NodeId] = []
    offset = 0
    for level in reversed(range(size.bit_length())):
        if size >> level & 1:
            wanted.append((level, offset >> level))
            offset += 1 << level
    return _fetch_nodes(wanted)


def _fetch_nodes(wanted: Iterable[merkle.NodeId]) -> dict[merkle.NodeId, bytes]:
    from django.db.models import Q

    wanted = list(wanted)
    if not wanted:
        return {}
    q = Q()
    for level, position in wanted:
        q |= Q(level=level, position=position)
    return {(n.level, n.position): bytes.fromhex(n.hash) for n in LogNode.objects.filter(q)}


def _append(items: list[tuple[EntryKind, Any, datetime | None]]) -> list[LogEntry]:
    """Append ``items`` (kind, row, time logged; None: now, read under the lock so the times of the
    log's entries follow its order, which is the order of commits)."""
    state = _lock_state()
    now = clock.now()
    sources = [kind.source(row) for kind, row, _at in items]
    already = set(LogEntry.objects.filter(source__in=sources).values_list("source", flat=True))
    nodes = _frontier(state.size)
    entries: list[LogEntry] = []
    new_nodes: list[LogNode] = []
    index = state.size
    for (kind, row, at), source in zip(items, sources, strict=True):
        if source in already:
            continue  # one entry per fact, whatever retries happen
        already.add(source)
        body = kind.entry(row)
        leaf = merkle.leaf_hash(body)
        for level, position, h in merkle.completed_nodes(index, leaf, merkle.from_mapping(nodes)):
            nodes[(level, position)] = h
            new_nodes.append(LogNode(level=level, position=position, hash=h.hex()))
        entries.append(LogEntry(index=index, kind=kind.name, source=source, organisation_id=kind.organisation_id(row),
                                body=body.decode("utf-8"), leaf_hash=leaf.hex(), logged_at=at or now))
        index += 1
    if entries:
        LogEntry.objects.bulk_create(entries, batch_size=2000)
        LogNode.objects.bulk_create(new_nodes, batch_size=2000)
        LogState.objects.filter(pk=state.pk).update(size=index)
    return entries


@transaction.atomic
def log_append(kind: str, row: Any) -> LogEntry:
    """Append the entry of one public fact (``row`` of ``kind``); the existing entry if already logged.

    Call inside the transaction that creates the fact, after its rows are written.
    """
    k = KINDS[kind]
    written = _append([(k, row, None)])
    return written[0] if written else LogEntry.objects.get(source=k.source(row))


@transaction.atomic
def log_backfill() -> int:
    """Log every public fact that has no entry yet, oldest first, dated by the fact's own time.

    For facts that existed before the log (the migration runs it) and for bulk-created demo data.
    Returns how many entries were appended.
    """
    _lock_state()
    pending: list[tuple[datetime, int, int, EntryKind, Any]] = []
    for order, kind in enumerate(KINDS.values()):
        rows = kind.rows()
        logged_count = LogEntry.objects.filter(kind=kind.name).count()
        if hasattr(rows, "count") and rows.count() == logged_count:
            continue  # the usual case: every fact of this kind is logged already
        logged = set(LogEntry.objects.filter(kind=kind.name).values_list("source", flat=True))
        for row in rows:
            if kind.source(row) not in logged:
                pending.append((kind.time(row), order, row.pk, kind, row))
    pending.sort(key=lambda p: (p[0], p[1], p[2]))
    for kind in KINDS.values():  # rows read for this backfill only: what they load is not kept
        kind.prepare([row for _at, _o, _pk, k, row in pending if k is kind])
    return len(_append([(kind, row, at) for at, _o, _pk, kind, row in pending]))
