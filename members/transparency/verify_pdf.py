#!/usr/bin/env python3
"""Standalone check of the executive body's PAdES signature on a PDF the register published.

One file, Python 3.9+ standard library only, the sibling of ``verify_register.py``: download it, read
it, run it. It trusts nothing in the PDF but the mathematics, and nothing from the server but the
certificate the reader chose to trust (downloaded once, compared with the key fingerprint printed on
the "how to verify" page and in every bulletin JSON):

  python verify_pdf.py DOCUMENT.pdf --certificate executive-body.pem
  python verify_pdf.py DOCUMENT.pdf --key-sha256 FINGERPRINT

It checks that
1. the signature covers the whole file except its own /Contents hex string (one /ByteRange from byte 0
   to the end of the file: nothing was added or changed after signing);
2. the CMS SignedData (RFC 5652) signed attributes hold the SHA-256 of exactly those bytes and the
   content type id-data; if they name the signing certificate (ESS signing-certificate-v2, RFC 5035),
   it is the trusted one;
3. the RSA PKCS#1 v1.5 SHA-256 signature over the signed attributes verifies with the trusted
   certificate's public key (``--certificate``), or with the embedded certificate whose public key has
   the SHA-256 given (``--key-sha256``). A document signed with any other key fails.

Exit status 0 when the signature holds, 1 when it does not (the reason is printed), 2 on bad use.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

OID_DATA = "1.2.840.113549.1.7.1"
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"
OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
RSA_SIGNATURES = {"1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11"}  # rsaEncryption, sha256WithRSAEncryption
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


class VerificationError(Exception):
    """The signature, a hash or the signer does not hold."""


# --- DER, as much as CMS and X.509 need ---------------------------------------------------------------

class Der:
    """One DER element of ``data``: its tag, the whole encoding and the content."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        if pos + 2 > len(data):
            raise VerificationError("truncated DER")
        self.tag = data[pos]
        length, head = data[pos + 1], pos + 2
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 4:
                raise VerificationError("unsupported DER length")
            length = int.from_bytes(data[head:head + count], "big")
            head += count
        self.start, self.content_start, self.end = pos, head, head + length
        if self.end > len(data):
            raise VerificationError("truncated DER")
        self.data = data

    @property
    def encoded(self) -> bytes:
        return self.data[self.start:self.end]

    @property
    def content(self) -> bytes:
        return self.data[self.content_start:self.end]

    def children(self) -> list[Der]:
        out, pos = [], self.content_start
        while pos < self.end:
            child = Der(self.data, pos)
            out.append(child)
            pos = child.end
        return out

    def oid(self) -> str:
        if self.tag != 0x06:
            raise VerificationError("expected an object identifier")
        raw = self.content
        parts = [str(raw[0] // 40), str(raw[0] % 40)] if raw[0] < 80 else ["2", str(raw[0] - 80)]
        value = 0
        for byte in raw[1:]:
            value = value << 7 | byte & 0x7F
            if not byte & 0x80:
                parts.append(str(value))
                value = 0
        return ".".join(parts)


def certificate_from_file(data: bytes) -> bytes:
    """The DER of the first certificate in a PEM or DER file."""
    match = re.search(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", data, re.S)
    return base64.b64decode(b"".join(match.group(1).split())) if match else data


def spki_of(certificate_der: bytes) -> bytes:
    """The SubjectPublicKeyInfo (DER) of an X.509 certificate."""
    tbs = Der(certificate_der).children()[0].children()
    fields = tbs[1:] if tbs[0].tag == 0xA0 else tbs  # skip the explicit [0] version
    return fields[5].encoded  # serial, signature, issuer, validity, subject, subjectPublicKeyInfo


def rsa_key(spki: bytes) -> tuple[int, int]:
    algorithm, bits = Der(spki).children()
    if algorithm.children()[0].oid() != "1.2.840.113549.1.1.1" or bits.tag != 0x03:
        raise VerificationError("the trusted key is not an RSA key")
    n, e = Der(bits.content[1:]).children()  # skip the unused-bits octet
    return int.from_bytes(n.content, "big"), int.from_bytes(e.content, "big")


def verify_rsa_sha256(message: bytes, signature: bytes, spki: bytes) -> None:
    n, e = rsa_key(spki)
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        raise VerificationError("the signature was not made with the trusted key (wrong length)")
    em = pow(int.from_bytes(signature, "big"), e, n).to_bytes(k, "big")
    t = _SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    if em != b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t:
        raise VerificationError("the signature was not made with the trusted key over these signed attributes")


# --- The PDF's signature ------------------------------------------------------------------------------

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def signed_parts(pdf: bytes) -> tuple[bytes, bytes]:
    """(the signed bytes, the CMS DER) of the signature covering the whole file."""
    whole = [m for m in _BYTE_RANGE.finditer(pdf)
             if int(m.group(1)) == 0 and int(m.group(3)) + int(m.group(4)) == len(pdf)]
    if not whole:
        if _BYTE_RANGE.search(pdf):
            raise VerificationError("the file was changed or extended after it was signed "
                                    "(no signature covers the whole file)")
        raise VerificationError("the PDF carries no signature")
    if len(whole) > 1:
        raise VerificationError("more than one signature claims the whole file")
    _a, length1, start2, length2 = (int(g) for g in whole[0].groups())
    gap = pdf[length1:start2]
    if len(gap) < 2 or gap[:1] != b"<" or gap[-1:] != b">" or not re.fullmatch(rb"[0-9A-Fa-f]*", gap[1:-1]):
        raise VerificationError("the unsigned gap is not exactly the signature's /Contents")
    contents = bytes.fromhex(gap[1:-1].decode("ascii"))
    cms = Der(contents)
    return pdf[:length1] + pdf[start2:start2 + length2], cms.encoded


def _attributes(signed_attrs: Der) -> dict[str, list[Der]]:
    out: dict[str, list[Der]] = {}
    for attribute in signed_attrs.children():
        oid, values = attribute.children()
        out[oid.oid()] = values.children()
    return out


def check_pdf(pdf: bytes, *, certificate_der: bytes | None = None, key_sha256: str | None = None) -> list[str]:
    """Check the PDF's signature against the trusted certificate or key fingerprint; lines of what holds."""
    if certificate_der is None and not key_sha256:
        raise VerificationError("give the trusted certificate or its key's SHA-256")
    signed, cms = signed_parts(pdf)
    content_info = Der(cms).children()
    if content_info[0].oid() != OID_SIGNED_DATA:
        raise VerificationError("the signature is not CMS SignedData")
    signed_data = content_info[1].children()[0].children()
    version, _algorithms, encap, *rest = signed_data
    if encap.children()[0].oid() != OID_DATA or len(encap.children()) != 1:
        raise VerificationError("the signature must be detached over id-data")
    embedded = [c.encoded for part in rest if part.tag == 0xA0 for c in part.children()]
    signer_infos = rest[-1].children()
    if len(signer_infos) != 1:
        raise VerificationError("expected exactly one signer")
    info = signer_infos[0].children()
    digest_algorithm, signed_attrs, signature_algorithm, signature = info[2], info[3], info[4], info[5]
    if digest_algorithm.children()[0].oid() != OID_SHA256:
        raise VerificationError("the signature's digest is not SHA-256")
    if signed_attrs.tag != 0xA0:
        raise VerificationError("the signature has no signed attributes")
    if signature_algorithm.children()[0].oid() not in RSA_SIGNATURES:
        raise VerificationError("the signature is not RSA PKCS#1 v1.5")
    attributes = _attributes(signed_attrs)
    if [v.oid() for v in attributes.get(OID_CONTENT_TYPE, [])] != [OID_DATA]:
        raise VerificationError("the signed content type is not id-data")
    digest = attributes.get(OID_MESSAGE_DIGEST)
    if not digest or digest[0].content != hashlib.sha256(signed).digest():
        raise VerificationError("the signed bytes do not have the SHA-256 the signature holds: the PDF was altered")
    lines = [f"the signature covers the whole file but its own value ({len(pdf)} bytes), SHA-256 matches"]

    if certificate_der is None:  # trust the embedded certificate whose key has the published fingerprint
        want = (key_sha256 or "").lower()
        matching = [c for c in embedded if hashlib.sha256(spki_of(c)).hexdigest() == want]
        if not matching:
            raise VerificationError(f"no certificate in the PDF has the key SHA-256 {key_sha256}")
        certificate_der = matching[0]
    spki = spki_of(certificate_der)
    fingerprint = hashlib.sha256(spki).hexdigest()
    if key_sha256 and fingerprint != key_sha256.lower():
        raise VerificationError(f"the trusted certificate's key has SHA-256 {fingerprint}, not {key_sha256}")
    # The signature is over the DER of the signed attributes as a SET (tag 0x31), not as [0].
    verify_rsa_sha256(b"\x31" + signed_attrs.encoded[1:], signature.content, spki)
    for value in attributes.get(OID_SIGNING_CERTIFICATE_V2, []):
        cert_id = value.children()[0].children()[0].children()  # SigningCertificateV2.certs[0] = ESSCertIDv2
        algorithm = OID_SHA256 if cert_id[0].tag == 0x04 else cert_id[0].children()[0].oid()
        cert_hash = cert_id[0] if cert_id[0].tag == 0x04 else cert_id[1]
        if algorithm == OID_SHA256 and cert_hash.content != hashlib.sha256(certificate_der).digest():
            raise VerificationError("the signature names another signing certificate than the trusted one")
    lines.append(f"signed with the trusted key, SHA-256 {fingerprint}")
    if OID_SIGNING_TIME in attributes:
        lines.append(f"signing time {attributes[OID_SIGNING_TIME][0].content.decode('ascii')} (as the signer states it)")
    if version.content not in (b"\x01", b"\x03"):
        lines.append(f"note: SignedData version {version.content.hex()}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf")
    trust = parser.add_mutually_exclusive_group(required=True)
    trust.add_argument("--certificate", help="the executive body's published certificate (PEM or DER)")
    trust.add_argument("--key-sha256", help="the SHA-256 of the executive body's public key, as published")
    args = parser.parse_args(argv)
    try:
        cert = certificate_from_file(Path(args.certificate).read_bytes()) if args.certificate else None
        lines = check_pdf(Path(args.pdf).read_bytes(), certificate_der=cert, key_sha256=args.key_sha256)
    except (VerificationError, ValueError, IndexError, OSError) as exc:
        print(f"FAILED: {exc}")
        return 1
    for line in lines:
        print(f"OK: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
