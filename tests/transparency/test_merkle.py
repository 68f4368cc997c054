"""RFC 9162 section 2.1: heads, inclusion and consistency proofs against published vectors.

The probes in ``rfc6962_probes.json`` are transparency-dev/merkle's ``testdata/inclusion`` and
``testdata/consistency`` (an independent Go implementation; source commit inside the file); the 8-leaf
inputs and roots are from its ``testonly/constants.go``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from members.transparency import merkle
from members.transparency.merkle import MemoryTree, VerificationError

PROBES = json.loads((Path(__file__).parent / "rfc6962_probes.json").read_text())

LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f"]]
ROOTS = ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]


def _b(values: list[str] | None) -> list[bytes]:
    return [base64.b64decode(v) for v in values or []]


def test_it_gives_the_published_roots_for_every_size_of_the_eight_leaf_tree() -> None:
    tree = MemoryTree(LEAVES)
    assert merkle.EMPTY_ROOT.hex() == ROOTS[0]
    for size, want in enumerate(ROOTS):
        assert tree.root(size).hex() == want
        assert merkle.reference_root(LEAVES[:size]).hex() == want


@pytest.mark.parametrize("probe", PROBES["inclusion"], ids=lambda p: p["file"])
def test_it_verifies_inclusion_probes_as_the_reference_does(probe: dict) -> None:
    args = (probe["leafIdx"], probe["treeSize"], base64.b64decode(probe["leafHash"] or ""), _b(probe["proof"]),
            base64.b64decode(probe["root"] or ""))
    if probe["wantErr"]:
        with pytest.raises(VerificationError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


@pytest.mark.parametrize("probe", PROBES["consistency"], ids=lambda p: p["file"])
def test_it_verifies_consistency_probes_as_the_reference_does(probe: dict) -> None:
    args = (probe["size1"], probe["size2"], _b(probe["proof"]), base64.b64decode(probe["root1"] or ""),
            base64.b64decode(probe["root2"] or ""))
    if probe["wantErr"]:
        with pytest.raises(VerificationError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)


def test_it_generates_exactly_the_published_happy_path_proofs() -> None:
    tree = MemoryTree(LEAVES)
    # The numbered folders' happy paths are over the eight leaves above; the others use other leaves.
    incl = [p for p in PROBES["inclusion"] if p["desc"] == "happy path"]
    cons = [p for p in PROBES["consistency"] if p["desc"] == "happy path"]
    assert len(incl) == 5 and len(cons) == 5
    for p in incl:
        assert tree.inclusion(p["leafIdx"], p["treeSize"]) == _b(p["proof"])
        assert tree.root(p["treeSize"]) == base64.b64decode(p["root"])
    for p in cons:
        assert tree.root(p["size2"]) == base64.b64decode(p["root2"])
        assert tree.consistency(p["size1"], p["size2"]) == _b(p["proof"])


def test_it_proves_every_entry_and_every_pair_of_sizes_up_to_forty() -> None:
    entries = [f"entry {i}".encode() for i in range(40)]
    tree = MemoryTree(entries)
    roots = [merkle.reference_root(entries[:n]) for n in range(41)]
    for size in range(1, 41):
        assert tree.root(size) == roots[size]
        for index in range(size):
            merkle.verify_inclusion(index, size, merkle.leaf_hash(entries[index]), tree.inclusion(index, size),
                                    roots[size])
        for first in range(1, size + 1):
            merkle.verify_consistency(first, size, tree.consistency(first, size), roots[first], roots[size])


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 64).flatmap(lambda n: st.tuples(st.just(n), st.integers(1, n - 1), st.integers(0, 255))))
def test_it_rejects_any_proof_with_one_flipped_bit(case: tuple[int, int, int]) -> None:
    n, first, bit = case
    tree = MemoryTree([bytes([i]) for i in range(n)])
    proof = tree.consistency(first, n)
    flipped = [bytearray(p) for p in proof]
    flipped[bit % len(flipped)][bit // 8 % 32] ^= 1 << (bit % 8)
    with pytest.raises(VerificationError):
        merkle.verify_consistency(first, n, [bytes(p) for p in flipped], tree.root(first), tree.root(n))
    path = tree.inclusion(first, n)
    if path:
        bad = [bytearray(p) for p in path]
        bad[bit % len(bad)][0] ^= 1
        with pytest.raises(VerificationError):
            merkle.verify_inclusion(first, n, merkle.leaf_hash(bytes([first])), [bytes(p) for p in bad], tree.root(n))


def test_it_reads_only_logarithmically_many_stored_nodes() -> None:
    size = 100_000
    for algorithm in (lambda g: merkle.root(g, size), lambda g: merkle.inclusion_path(g, 77_777, size),
                      lambda g: merkle.consistency_path(g, 65_537, size)):
        assert len(merkle.needed_nodes(algorithm)) <= 2 * size.bit_length()
