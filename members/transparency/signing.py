"""The executive body's signature on what the registry publishes (PAdES PDFs, signed JSON).

Same content, same bytes: RSA PKCS#1 v1.5 is deterministic, and every time field pyHanko would take
from the clock (the signature's /M and CMS signing time, the document's /ModDate, the second half of
the trailer /ID) comes from the document's issue time or its content instead. A time-stamp authority
(``SIGNING_TSA_URL``) adds a trusted time but makes each signing unique (its token carries the TSA's
own clock and nonce).

Identity: ``SIGNING_PKCS12`` or ``SIGNING_KEY_PEM`` + ``SIGNING_CERT_PEM`` with ``SIGNING_PASSPHRASE``;
otherwise a demonstration key and self-signed certificate created once under ``SIGNING_DIR`` and named
as a demonstration so nobody mistakes it for the executive body's.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from .canonical import canonical_bytes

DEMO_COMMON_NAME = "演示签名 DEMO — not the executive body"
DEMO_FILE = "demo-signing-key-and-certificate.pem"
SIGNATURE_ALGORITHM = "RSASSA-PKCS1-v1_5-SHA256"


@dataclass(frozen=True)
class Identity:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    demo: bool

    @property
    def spki_der(self) -> bytes:
        return self.certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo)

    @property
    def key_sha256(self) -> str:
        return hashlib.sha256(self.spki_der).hexdigest()

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()


def _create_demo(path: Path) -> None:
    """A demonstration key and self-signed certificate, written atomically once (racing creators agree)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "中国互联网协会（演示，非正式）DEMO")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            # Fixed validity so documents of any period in the register's life validate.
            .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2045, 12, 31, tzinfo=dt.UTC))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()) + cert.public_bytes(serialization.Encoding.PEM)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(pem)
    os.chmod(tmp, 0o600)
    try:
        os.link(tmp, path)  # fails if another process created it first: keep theirs
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _from_pem(key_pem: bytes, cert_pem: bytes, passphrase: bytes | None, demo: bool) -> Identity:
    key = serialization.load_pem_private_key(key_pem, password=passphrase)
    certs = x509.load_pem_x509_certificates(cert_pem)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the signing key must be an RSA key (deterministic PKCS#1 v1.5 signatures)")
    return Identity(key, certs[0], tuple(certs[1:]), demo)


@functools.lru_cache(maxsize=4)
def _load(pkcs12: str, key_path: str, cert_path: str, passphrase: str, demo_dir: str) -> Identity:
    secret = passphrase.encode() or None
    if pkcs12:
        from cryptography.hazmat.primitives.serialization import pkcs12 as p12

        key, cert, extra = p12.load_key_and_certificates(Path(pkcs12).read_bytes(), secret)
        if not isinstance(key, rsa.RSAPrivateKey) or cert is None:
            raise ValueError("the PKCS#12 file must hold an RSA key and its certificate")
        return Identity(key, cert, tuple(extra or ()), False)
    if key_path and cert_path:
        return _from_pem(Path(key_path).read_bytes(), Path(cert_path).read_bytes(), secret, False)
    path = Path(demo_dir) / DEMO_FILE
    if not path.exists():
        _create_demo(path)
    pem = path.read_bytes()
    return _from_pem(pem, pem, None, True)


def identity() -> Identity:
    return _load(settings.SIGNING_PKCS12, settings.SIGNING_KEY_PEM, settings.SIGNING_CERT_PEM,
                 settings.SIGNING_PASSPHRASE, str(settings.SIGNING_DIR))


# --- JSON: a signature over the document's canonical form --------------------------------------------

def sign_json(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a ``signature`` block over the canonical JSON of everything else in it.

    A reader removes ``signature``, serialises the rest canonically (sorted keys, no whitespace, UTF-8)
    and checks the RSA signature; the standalone verifier does exactly that.
    """
    ident = identity()
    signed = canonical_bytes({k: v for k, v in document.items() if k != "signature"})
    signature = ident.key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    return {**document, "signature": {
        "algorithm": SIGNATURE_ALGORITHM, "value": base64.b64encode(signature).decode(),
        "public_key": base64.b64encode(ident.spki_der).decode(), "key_sha256": ident.key_sha256,
        "certificate": base64.b64encode(ident.certificate.public_bytes(serialization.Encoding.DER)).decode(),
        "signer": ident.subject, "demonstration_key": ident.demo,
    }}


# --- PDF: PAdES with every time fixed ------------------------------------------------------------------

def sign_pdf(data: bytes, *, when: dt.datetime, reason: str, location: str = "") -> bytes:
    """The PDF ``data`` signed (PAdES B-B, invisible field), its signing time ``when``."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.signers.pdf_signer import PdfSigner

    class FixedTimeWriter(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            super()._update_meta()
            if self._info is not None:  # pyHanko stamps /ModDate with the clock; use the issue time
                self._info.get_object()[generic.pdf_name("/ModDate")] = generic.pdf_date(when)

    class FixedTimeSigner(PdfSigner):
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = when  # the signature's /M and signing time
            return session

    ident = identity()
    writer = FixedTimeWriter(io.BytesIO(data))
    # pyHanko makes the trailer /ID's second half (and a missing first half) random: derive them from
    # the content and the time instead.
    id1 = writer._document_id[0] if "/ID" in writer.prev.trailer else generic.ByteStringObject(
        hashlib.sha256(data).digest()[:16])
    id2 = hashlib.sha256(data + when.isoformat().encode()).digest()[:16]
    writer._document_id = generic.ArrayObject([id1, generic.ByteStringObject(id2)])
    signer = signers.SimpleSigner(
        signing_cert=_asn1(ident.certificate), signing_key=_asn1_key(ident.key),
        cert_registry=_registry(ident),
    )
    meta = signers.PdfSignatureMetadata(field_name="ExecutiveBodySignature", reason=reason, location=location,
                                        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    tsa = timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL) if settings.SIGNING_TSA_URL else None
    out = io.BytesIO()
    FixedTimeSigner(meta, signer=signer, timestamper=tsa).sign_pdf(writer, output=out)
    return out.getvalue()


def _asn1(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: rsa.RSAPrivateKey) -> Any:
    from asn1crypto import keys

    return keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))


def _registry(ident: Identity) -> Any:
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return SimpleCertificateStore.from_certs([_asn1(c) for c in (ident.certificate, *ident.chain)])
