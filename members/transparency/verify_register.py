#!/usr/bin/env python3
"""Standalone verifier for the public log of the convention's signatory register.

One file, Python 3.9+ standard library only: download it, read it, run it. It trusts nothing the
server says unless the mathematics agrees. The log is a Merkle tree as RFC 9162 section 2.1 defines
it (leaf hash SHA-256(0x00 || entry), node hash SHA-256(0x01 || left || right)).

Usage:
  python verify_register.py bulletin BULLETIN.json [--pdf BULLETIN.pdf] [--csv BULLETIN.csv]
      Checks the bulletin's signature (over all of its JSON), its own consistency proof (to the
      previous bulletin's head, printed in it) and the PDF/CSV files' SHA-256 against the signed hashes.
  python verify_register.py consistency OLDER.json NEWER.json [--proof PROOF.json | --base-url URL]
      Proves that the log printed in NEWER extends the log printed in OLDER without rewriting it.
  python verify_register.py inclusion --entry ENTRY.json --proof PROOF.json --head BULLETIN.json
      Proves that one entry is in the log whose head a bulletin printed.
  python verify_register.py fetch --base-url URL OLDER_NUMBER NEWER_NUMBER
      Downloads two bulletins and the consistency proof between their heads, then checks them.

Exit status 0 when everything verifies, 1 when something does not (the reason is printed), 2 on bad use.
This module is also imported by the registry itself, so the server and every reader share one copy of
the verification rules.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LOG_FORMAT = "register-log/1"


# --- RFC 9162 section 2.1 ---------------------------------------------------------------------------

def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


class VerificationError(Exception):
    """A proof, a hash or a signature does not hold."""


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """RFC 9162 2.1.3.2: the root that ``path`` proves ``leaf`` (at ``index``) is under."""
    if index < 0 or index >= size:
        raise VerificationError(f"index {index} is not in a tree of size {size}")
    if len(leaf) != 32:
        raise VerificationError("a leaf hash has 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if len(p) != 32:
            raise VerificationError("a proof hash has 32 bytes")
        if sn == 0:
            raise VerificationError("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError("the inclusion proof is too short")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> None:
    if root_from_inclusion(index, size, leaf, path) != root:
        raise VerificationError(f"entry {index} is not in the tree of size {size} with this root")


def root_from_consistency(first: int, second: int, path: Sequence[bytes], first_root: bytes) -> bytes:
    """RFC 9162 2.1.4.2: the root of the tree of size ``second`` that ``path`` proves consistent."""
    if first < 1 or second < first:
        raise VerificationError(f"no consistency proof from size {first} to size {second}")
    if any(len(p) != 32 for p in path):
        raise VerificationError("a proof hash has 32 bytes")
    if first == second:
        if path:
            raise VerificationError("equal sizes take an empty proof")
        return first_root
    if not path:
        raise VerificationError("the consistency proof is empty")
    nodes = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node of the new tree
        nodes.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            raise VerificationError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError("the consistency proof is too short")
    if fr != first_root:
        raise VerificationError(f"the proof does not lead back to the root of size {first}")
    return sr


def verify_consistency(first: int, second: int, path: Sequence[bytes], first_root: bytes,
                       second_root: bytes) -> None:
    if root_from_consistency(first, second, path, first_root) != second_root:
        raise VerificationError(f"the tree of size {second} does not extend the tree of size {first}")


# --- Signed hash lists (RSA PKCS#1 v1.5 with SHA-256, checked with plain integer arithmetic) ----------

_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def _der_read(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``pos``."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    return tag, pos, pos + length


def rsa_public_key_from_der(spki: bytes) -> tuple[int, int]:
    """(n, e) from a DER SubjectPublicKeyInfo holding an RSA key."""
    _t, start, _end = _der_read(spki, 0)            # SubjectPublicKeyInfo SEQUENCE
    _t, _s, alg_end = _der_read(spki, start)        # AlgorithmIdentifier
    tag, bits_start, _bits_end = _der_read(spki, alg_end)
    if tag != 0x03:
        raise VerificationError("not an RSA public key")
    key = bits_start + 1                             # skip the unused-bits octet
    _t, seq_start, _seq_end = _der_read(spki, key)   # RSAPublicKey SEQUENCE
    _t, n_start, n_end = _der_read(spki, seq_start)
    _t, e_start, e_end = _der_read(spki, n_end)
    return int.from_bytes(spki[n_start:n_end], "big"), int.from_bytes(spki[e_start:e_end], "big")


def verify_rsa_sha256(message: bytes, signature: bytes, spki_der: bytes) -> None:
    n, e = rsa_public_key_from_der(spki_der)
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        raise VerificationError("the signature has the wrong length")
    em = pow(int.from_bytes(signature, "big"), e, n).to_bytes(k, "big")
    t = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    if em != expected:
        raise VerificationError("the signature does not match the signed text")


# --- Reading what the registry publishes ----------------------------------------------------------

def b64(text: str) -> bytes:
    return base64.b64decode(text)


def head_of(bulletin: dict[str, Any]) -> tuple[int, bytes]:
    """(size, root) of the log head a bulletin JSON prints."""
    head = (bulletin.get("transparency") or {}).get("log_head")
    if not head:
        raise VerificationError(f"bulletin {bulletin.get('bulletin_number')} prints no log head")
    return int(head["size"]), b64(head["root"])


def check_bulletin(bulletin: dict[str, Any], files: dict[str, bytes]) -> list[str]:
    """Check what a bulletin can prove about itself; lines saying what was checked."""
    done: list[str] = []
    t = bulletin.get("transparency") or {}
    size, root = head_of(bulletin)
    if size == 0 and root != EMPTY_ROOT:
        raise VerificationError("an empty log has the root SHA-256 of nothing")
    done.append(f"bulletin {bulletin.get('bulletin_number')}: log head size {size}, root {root.hex()}")
    prev = t.get("previous")
    if prev and prev.get("size"):
        proof = [b64(p) for p in t.get("consistency_from_previous") or []]
        verify_consistency(int(prev["size"]), size, proof, b64(prev["root"]), root)
        done.append(f"consistent with bulletin {prev.get('bulletin_number')} (size {prev['size']})")
    for kind, data in files.items():
        want = (t.get("files") or {}).get(kind)
        if want is None:
            continue
        got = hashlib.sha256(data).hexdigest()
        if got != want:
            raise VerificationError(f"the {kind} file has SHA-256 {got}, the bulletin says {want}")
        done.append(f"{kind} file SHA-256 {got} matches")
    return done


def canonical(data: Any) -> bytes:
    """The registry's canonical JSON: sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def check_json_signature(document: dict[str, Any], key_sha256: str | None = None) -> str:
    """Check the ``signature`` block of a signed JSON document over the canonical form of the rest."""
    sig = document.get("signature")
    if not sig:
        raise VerificationError("the document is not signed")
    if sig.get("algorithm") != "RSASSA-PKCS1-v1_5-SHA256":
        raise VerificationError(f"unknown signature algorithm {sig.get('algorithm')!r}")
    spki = b64(sig["public_key"])
    fingerprint = hashlib.sha256(spki).hexdigest()
    if key_sha256 and fingerprint != key_sha256.lower():
        raise VerificationError(f"signed with key {fingerprint}, not the expected {key_sha256}")
    verify_rsa_sha256(canonical({k: v for k, v in document.items() if k != "signature"}), b64(sig["value"]), spki)
    demo = " (a DEMONSTRATION key, not the executive body's)" if sig.get("demonstration_key") else ""
    return f"signature holds: key SHA-256 {fingerprint}, {sig.get('signer', '')}{demo}"


def check_consistency(older: dict[str, Any], newer: dict[str, Any], proof: dict[str, Any]) -> str:
    size1, root1 = head_of(older)
    size2, root2 = head_of(newer)
    if int(proof.get("first", size1)) != size1 or int(proof.get("second", size2)) != size2:
        raise VerificationError("the proof is for other sizes than the bulletins print")
    verify_consistency(size1, size2, [b64(p) for p in proof["proof"]], root1, root2)
    return f"the log of size {size2} extends the log of size {size1}: consistent"


def check_inclusion(entry: bytes, proof: dict[str, Any], head: dict[str, Any]) -> str:
    size, root = head_of(head)
    index = int(proof["index"])
    if int(proof.get("size", size)) != size:
        raise VerificationError("the proof is for another size than the bulletin prints")
    verify_inclusion(index, size, leaf_hash(entry), [b64(p) for p in proof["proof"]], root)
    return f"entry {index} is in the log of size {size}"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (the reader chooses the URL)
        return answer.read()


def _fetch(base: str, first: int, second: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    base = base.rstrip("/")
    older = json.loads(_get(f"{base}/bulletins/{first}/json/"))
    newer = json.loads(_get(f"{base}/bulletins/{second}/json/"))
    size1, size2 = head_of(older)[0], head_of(newer)[0]
    proof = json.loads(_get(f"{base}/api/v1/log/proof/consistency/?first={size1}&second={size2}"))
    return older, newer, proof


def _load(path: str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bulletin")
    b.add_argument("bulletin")
    b.add_argument("--pdf")
    b.add_argument("--csv")
    b.add_argument("--key-sha256", help="require the signature to be made with this key (its SHA-256)")
    c = sub.add_parser("consistency")
    c.add_argument("older")
    c.add_argument("newer")
    c.add_argument("--proof")
    c.add_argument("--base-url")
    i = sub.add_parser("inclusion")
    i.add_argument("--entry", required=True, help="the entry's canonical bytes as a file")
    i.add_argument("--proof", required=True)
    i.add_argument("--head", required=True, help="a bulletin JSON whose head the proof is for")
    f = sub.add_parser("fetch")
    f.add_argument("--base-url", required=True)
    f.add_argument("older", type=int)
    f.add_argument("newer", type=int)
    args = parser.parse_args(argv)
    try:
        if args.command == "bulletin":
            files = {k: Path(p).read_bytes() for k, p in (("pdf", args.pdf), ("csv", args.csv)) if p}
            bulletin = _load(args.bulletin)
            lines = check_bulletin(bulletin, files)
            if bulletin.get("signature") or args.key_sha256:
                lines.append(check_json_signature(bulletin, args.key_sha256))
        elif args.command == "consistency":
            older, newer = _load(args.older), _load(args.newer)
            if args.proof:
                proof = _load(args.proof)
            elif args.base_url:
                size1, size2 = head_of(older)[0], head_of(newer)[0]
                proof = json.loads(_get(f"{args.base_url.rstrip('/')}/api/v1/log/proof/consistency/"
                                        f"?first={size1}&second={size2}"))
            else:
                parser.error("give --proof or --base-url")
            lines = [check_consistency(older, newer, proof)]
        elif args.command == "inclusion":
            lines = [check_inclusion(Path(args.entry).read_bytes(), _load(args.proof), _load(args.head))]
        else:
            older, newer, proof = _fetch(args.base_url, args.older, args.newer)
            lines = check_bulletin(older, {}) + check_bulletin(newer, {})
            lines += [check_json_signature(b) for b in (older, newer) if b.get("signature")]
            lines.append(check_consistency(older, newer, proof))
    except (VerificationError, KeyError, ValueError) as exc:
        print(f"FAILED: {exc}")
        return 1
    for line in lines:
        print(f"OK: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
