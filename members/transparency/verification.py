"""Recompute the whole public log from the database and the stored bulletins; find the first divergence.

Checks, in order (the first failure is the answer):
1. the entries are numbered 0..n-1 and ``LogState`` counts n;
2. each entry's leaf hash is SHA-256(0x00 || body), and its body is exactly what its source row gives
   today in the kind's version the entry names (the row must exist): a past fact rewritten in the
   database shows here;
3. every stored complete subtree equals the one recomputed from the leaves;
4. every public fact has its entry;
5. each published bulletin's stored files have the SHA-256 the register and the log recorded, and the
   head its JSON prints is the log's head at that size, consistent with the previous bulletin's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from members.publications.models import Publication, PublicationState
from members.publications.services import file_path

from . import merkle
from .canonical import KINDS
from .models import BulletinHead, LogEntry, LogNode
from .selectors import log_size


@dataclass(frozen=True)
class Report:
    entries: int
    bulletins: int
    root: bytes
    divergence: str | None = None


class _Diverged(Exception):
    pass


def _differences(stored: dict[str, Any], derived: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key in sorted(set(stored) | set(derived)):
        a, b = stored.get(key), derived.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out += _differences(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append(f"{prefix}{key}: log {a!r}, database {b!r}")
    return out


def _check_entries(tree: merkle.MemoryTree) -> int:
    rows = {name: {row.pk: row for row in kind.rows()} for name, kind in KINDS.items()}
    for name, each in KINDS.items():  # what each body reads, in a few queries instead of one per row
        each.prepare(list(rows[name].values()))
    seen: set[str] = set()
    n = 0
    for entry in LogEntry.objects.order_by("index").iterator(chunk_size=2000):
        where = f"entry #{entry.index} ({entry.source})"
        if entry.index != n:
            raise _Diverged(f"entry #{n} is missing (the next stored entry is #{entry.index})")
        body = entry.body.encode("utf-8")
        if merkle.leaf_hash(body).hex() != entry.leaf_hash:
            raise _Diverged(f"{where}: its stored leaf hash is not SHA-256(0x00 || its body)")
        kind = KINDS.get(entry.kind)
        if kind is None:
            raise _Diverged(f"{where}: unknown kind {entry.kind!r}")
        pk = int(entry.source.split(":", 1)[1])
        row = rows[entry.kind].get(pk)
        if row is None:
            raise _Diverged(f"{where}: its source row no longer exists")
        try:  # re-derived in the version the entry was logged with: old entries keep their bytes
            derived = kind.entry(row, json.loads(body).get("v"))
        except (KeyError, ValueError):
            raise _Diverged(f"{where}: its body names no version of {entry.kind!r} the register knows") from None
        if derived != body:
            diff = "; ".join(_differences(json.loads(body), json.loads(derived))) or "bytes differ"
            raise _Diverged(f"{where}: the database no longer gives this entry: {diff}")
        tree.append_leaf(bytes.fromhex(entry.leaf_hash))
        seen.add(entry.source)
        n += 1
    if n != log_size():
        raise _Diverged(f"the log's state counts {log_size()} entries, {n} are stored")
    for name, by_pk in rows.items():
        for pk in sorted(by_pk):
            if f"{name}:{pk}" not in seen:
                raise _Diverged(f"{name}:{pk} is a public fact with no log entry")
    return n


def _check_nodes(tree: merkle.MemoryTree) -> None:
    stored = 0
    for node in LogNode.objects.order_by("level", "position").iterator(chunk_size=5000):
        want = tree.nodes.get((node.level, node.position))
        if want is None or want.hex() != node.hash:
            raise _Diverged(f"stored tree node {node.level}/{node.position} differs from the recomputed tree")
        stored += 1
    if stored != len(tree.nodes):
        raise _Diverged(f"{len(tree.nodes) - stored} tree nodes are missing from the database")


def _check_bulletins(tree: merkle.MemoryTree) -> int:
    count = 0
    pubs = Publication.objects.filter(state=PublicationState.PUBLISHED).prefetch_related("files").order_by("number")
    logged = {json.loads(e.body)["number"]: json.loads(e.body) for e in LogEntry.objects.filter(kind="bulletin")}
    pins = {p.publication_id: p for p in BulletinHead.objects.all()}
    for pub in pubs:
        where = f"bulletin {pub.number}"
        json_bytes = b""
        for f in pub.files.all():
            path = file_path(f)
            if not path.is_file():
                raise _Diverged(f"{where}: its {f.kind} file {f.path} is missing")
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != f.sha256:
                raise _Diverged(f"{where}: its stored {f.kind} file no longer has the SHA-256 {f.sha256}")
            if pub.number in logged and logged[pub.number]["files"].get(f.kind) != f.sha256:
                raise _Diverged(f"{where}: the register's {f.kind} hash differs from the log entry's")
            if f.kind == "json":
                json_bytes = data
        pin = pins.get(pub.pk)
        if pin is not None and json_bytes:
            printed = (json.loads(json_bytes).get("transparency") or {}).get("log_head") or {}
            if printed.get("root_hex") != pin.root or printed.get("size") != pin.size:
                raise _Diverged(f"{where}: the head its JSON prints is not the head recorded for it")
            if pin.size > tree.size or tree.root(pin.size).hex() != pin.root:
                raise _Diverged(f"{where}: the head it prints (size {pin.size}) is not the log's head at that size")
        count += 1
    return count


def verify_register() -> Report:
    tree = merkle.MemoryTree()
    try:
        n = _check_entries(tree)
        _check_nodes(tree)
        m = _check_bulletins(tree)
    except _Diverged as exc:
        return Report(tree.size, 0, tree.root(), str(exc))
    return Report(n, m, tree.root())
