"""Signed documents: PAdES PDFs that pyHanko's validator accepts, signed JSON the standalone verifier
checks, and the same bytes on every run."""

from __future__ import annotations

import datetime as dt
import io
import json
from datetime import date

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from members.demo import blank_pdf
from members.publications.models import PublicationFile
from members.publications.services import file_path, publication_publish_sync
from members.transparency import signing
from members.transparency import verify_register as standalone
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import act

WHEN = dt.datetime(2025, 3, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _validate(pdf: bytes, cert: x509.Certificate):
    reader = PdfFileReader(io.BytesIO(pdf))
    (sig,) = reader.embedded_signatures
    root = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    return sig, validate_pdf_signature(sig, ValidationContext(trust_roots=[root], moment=WHEN))


def test_a_signed_pdf_validates_and_carries_its_issue_time(db):
    signed = signing.sign_pdf(blank_pdf("公告"), when=WHEN, reason="bulletin-0001")
    sig, status = _validate(signed, signing.identity().certificate)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert sig.self_reported_timestamp == WHEN
    assert signing.identity().demo and "DEMO" in signing.identity().subject
    # Same key, same content, same time: the same bytes.
    assert signing.sign_pdf(blank_pdf("公告"), when=WHEN, reason="bulletin-0001") == signed
    # A changed byte in the signed range breaks it.
    i = signed.index(b"/Type /Catalog") if b"/Type /Catalog" in signed else 20
    tampered = signed[:i] + bytes([signed[i] ^ 1]) + signed[i + 1:]
    _sig, bad = _validate(tampered, signing.identity().certificate)
    assert not bad.intact


def test_the_demo_key_is_created_once_and_kept(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "signing"
    first = signing.identity()
    assert (tmp_path / "signing" / signing.DEMO_FILE).is_file()
    signing._load.cache_clear()
    assert signing.identity().key_sha256 == first.key_sha256


def test_a_configured_pkcs12_identity_signs(settings, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "中国互联网协会 test")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path / "exec.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"exec", key, cert, None, serialization.BestAvailableEncryption(b"s3cret")))
    settings.SIGNING_PKCS12, settings.SIGNING_PASSPHRASE = str(path), "s3cret"
    assert not signing.identity().demo and "中国互联网协会 test" in signing.identity().subject
    _sig, status = _validate(signing.sign_pdf(blank_pdf("x"), when=WHEN, reason="r"), cert)
    assert status.bottom_line
    doc = signing.sign_json({"a": "中文", "n": 1})
    assert "signature holds" in standalone.check_json_signature(json.loads(json.dumps(doc)))


def test_signed_json_is_checked_by_the_standard_library_verifier(db):
    doc = json.loads(json.dumps(signing.sign_json({"bulletin_number": 3, "roster": [{"name": "甲"}]})))
    assert "DEMONSTRATION" in standalone.check_json_signature(doc, signing.identity().key_sha256)
    with pytest.raises(standalone.VerificationError):
        standalone.check_json_signature(doc, "0" * 64)
    doc["roster"][0]["name"] = "乙"
    with pytest.raises(standalone.VerificationError):
        standalone.check_json_signature(doc)


def test_a_published_bulletin_is_signed_and_identical_when_rendered_again(db, settings, tmp_path):
    from members.publications.services import render_files

    settings.PUBLICATIONS_RENDER_JOBS = 1
    make_signatory(OrganisationFactory(), on=date(2025, 3, 5))
    pub = publication_publish_sync(act(), "2025-03")
    pdf = file_path(PublicationFile.objects.get(publication=pub, kind="pdf")).read_bytes()
    _sig, status = _validate(pdf, signing.identity().certificate)
    assert status.bottom_line
    data = json.loads(file_path(PublicationFile.objects.get(publication=pub, kind="json")).read_bytes())
    standalone.check_json_signature(data)
    assert standalone.check_bulletin(data, {"pdf": pdf})
    files, _pages = render_files(pub, tmp_path)
    for f in files:
        assert (tmp_path / f.name).read_bytes() == file_path(PublicationFile.objects.get(publication=pub,
                                                                                          kind=f.kind)).read_bytes()
