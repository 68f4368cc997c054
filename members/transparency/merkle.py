"""RFC 9162 section 2.1 Merkle trees: heads, inclusion and consistency proofs. Standard library only.

Every range the RFC's recursive definitions (MTH, PATH, SUBPROOF) touch is either a *complete* subtree
(2**level leaves starting at a multiple of 2**level) or a right-edge range that splits into complete
ones. So a log only has to keep the complete subtrees, node ``(level, position)``, which it writes as
leaves arrive (``completed_nodes``); any head or proof then needs O(log n) of them.

``Plan`` runs an algorithm once with placeholder hashes to learn which complete nodes it needs, so a
database-backed tree can fetch them in one query; then it runs again on the real hashes.
The verification half lives in ``verify_register`` (the standalone verifier) so that the registry and
its readers check proofs with the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from .verify_register import (  # noqa: F401  (re-exported: one copy of the rules)
    EMPTY_ROOT,
    VerificationError,
    leaf_hash,
    node_hash,
    root_from_consistency,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)

NodeId = tuple[int, int]  # (level, position): leaves [position * 2**level, (position + 1) * 2**level)
Getter = Callable[[int, int], bytes]


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _mth(get: Getter, start: int, end: int) -> bytes:
    n = end - start
    if n == 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0 and start % n == 0:
        return get(n.bit_length() - 1, start // n)
    k = split_point(n)
    return node_hash(_mth(get, start, start + k), _mth(get, start + k, end))


def _path(get: Getter, m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return [*_path(get, m, start, start + k), _mth(get, start + k, end)]
    return [*_path(get, m - k, start + k, end), _mth(get, start, start + k)]


def _subproof(get: Getter, m: int, start: int, end: int, complete: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [_mth(get, start, end)]
    k = split_point(n)
    if m <= k:
        return [*_subproof(get, m, start, start + k, complete), _mth(get, start + k, end)]
    return [*_subproof(get, m - k, start + k, end, False), _mth(get, start, start + k)]


def root(get: Getter, size: int) -> bytes:
    return _mth(get, 0, size)


def inclusion_path(get: Getter, index: int, size: int) -> list[bytes]:
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not in a tree of size {size}")
    return _path(get, index, 0, size)


def consistency_path(get: Getter, first: int, second: int) -> list[bytes]:
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")
    return _subproof(get, first, 0, second, True)


def needed_nodes(algorithm: Callable[[Getter], object]) -> set[NodeId]:
    """The complete nodes ``algorithm`` reads (its shape never depends on hash values)."""
    seen: set[NodeId] = set()

    def record(level: int, position: int) -> bytes:
        seen.add((level, position))
        return bytes(32)

    algorithm(record)
    return seen


def completed_nodes(index: int, leaf: bytes, get: Getter) -> list[tuple[int, int, bytes]]:
    """The complete nodes that leaf ``index`` completes, itself first: (level, position, hash).

    ``get`` returns earlier complete nodes (the left siblings), never ones this call returns.
    """
    out = [(0, index, leaf)]
    level, position, h = 0, index, leaf
    while position & 1:
        h = node_hash(get(level, position - 1), h)
        level, position = level + 1, position >> 1
        out.append((level, position, h))
    return out


class MemoryTree:
    """An in-memory tree with every complete node kept: for tests and for recomputing a whole log."""

    def __init__(self, entries: Iterable[bytes] = ()) -> None:
        self.nodes: dict[NodeId, bytes] = {}
        self.size = 0
        for e in entries:
            self.append(e)

    def append_leaf(self, leaf: bytes) -> None:
        for level, position, h in completed_nodes(self.size, leaf, self.get):
            self.nodes[(level, position)] = h
        self.size += 1

    def append(self, entry: bytes) -> None:
        self.append_leaf(leaf_hash(entry))

    def get(self, level: int, position: int) -> bytes:
        return self.nodes[(level, position)]

    def root(self, size: int | None = None) -> bytes:
        return root(self.get, self.size if size is None else size)

    def inclusion(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_path(self.get, index, self.size if size is None else size)

    def consistency(self, first: int, second: int | None = None) -> list[bytes]:
        return consistency_path(self.get, first, self.size if second is None else second)


def reference_root(entries: Sequence[bytes]) -> bytes:
    """MTH straight from the RFC's definition, with no caching: what the tests compare against."""
    n = len(entries)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(entries[0])
    k = split_point(n)
    return node_hash(reference_root(entries[:k]), reference_root(entries[k:]))


def from_mapping(nodes: Mapping[NodeId, bytes]) -> Getter:
    def get(level: int, position: int) -> bytes:
        try:
            return nodes[(level, position)]
        except KeyError:
            raise LookupError(f"log node {level}/{position} is missing") from None
    return get

