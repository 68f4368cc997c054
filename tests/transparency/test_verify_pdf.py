"""``verify_pdf.py``, the standalone check of the executive body's PAdES signature: a downloaded PDF
against the published certificate, standard library only, trusting nothing the server says."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from members.publications.models import PublicationFile
from members.publications.services import file_path, publication_publish_sync
from members.transparency import signing
from members.transparency import verify_pdf as standalone
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import act

WHEN = dt.datetime(2025, 3, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _run(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -I -S: isolated, no site-packages: only the standard library is there.
    return subprocess.run([sys.executable, "-I", "-S", str(tmp / "verify_pdf.py"), *args],
                          capture_output=True, text=True, timeout=60, cwd=tmp)


def _other_identity(tmp: Path, settings) -> x509.Certificate:
    """Another key and certificate, named like the executive body's: a forger's."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, signing.DEMO_COMMON_NAME)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(11).not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=dt.UTC)).sign(key, hashes.SHA256()))
    (tmp / "other-key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    (tmp / "other-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.SIGNING_KEY_PEM, settings.SIGNING_CERT_PEM = str(tmp / "other-key.pem"), str(tmp / "other-cert.pem")
    return cert


@pytest.fixture
def downloaded(db, client, settings, tmp_path):
    """The verifier, the published certificate and a published bulletin's PDF, downloaded from the site."""
    settings.PUBLICATIONS_RENDER_JOBS = 1
    make_signatory(OrganisationFactory(), on=date(2025, 3, 5))
    pub = publication_publish_sync(act(), "2025-03")
    (tmp_path / "verify_pdf.py").write_bytes(client.get("/verify/verify_pdf.py").content)
    assert (tmp_path / "verify_pdf.py").read_bytes() == Path(standalone.__file__).read_bytes()
    cert = client.get("/verify/executive-body.pem")
    assert cert.status_code == 200 and b"BEGIN CERTIFICATE" in cert.content
    (tmp_path / "executive-body.pem").write_bytes(cert.content)
    pdf = client.get(f"/bulletins/{pub.number}/pdf/")
    data = b"".join(pdf.streaming_content) if hasattr(pdf, "streaming_content") else pdf.content
    assert data == file_path(PublicationFile.objects.get(publication=pub, kind="pdf")).read_bytes()
    (tmp_path / "bulletin.pdf").write_bytes(data)
    return tmp_path


def test_a_genuine_bulletin_verifies_against_the_published_certificate(downloaded):
    run = _run(downloaded, "bulletin.pdf", "--certificate", "executive-body.pem")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"signed with the trusted key, SHA-256 {signing.identity().key_sha256}" in run.stdout
    assert "covers the whole file" in run.stdout
    # The fingerprint printed on the how-to page works as the anchor too.
    run = _run(downloaded, "bulletin.pdf", "--key-sha256", signing.identity().key_sha256)
    assert run.returncode == 0, run.stdout + run.stderr
    assert _run(downloaded, "bulletin.pdf", "--key-sha256", "ab" * 32).returncode == 1


def test_a_tampered_pdf_fails(downloaded):
    pdf = (downloaded / "bulletin.pdf").read_bytes()
    i = pdf.index(b"/Producer") if b"/Producer" in pdf else pdf.index(b"/Type")
    (downloaded / "changed.pdf").write_bytes(pdf[:i + 2] + bytes([pdf[i + 2] ^ 0x20]) + pdf[i + 3:])
    run = _run(downloaded, "changed.pdf", "--certificate", "executive-body.pem")
    assert run.returncode == 1 and "the PDF was altered" in run.stdout, run.stdout
    # An incremental update appended after signing is not covered by the signature.
    (downloaded / "extended.pdf").write_bytes(pdf + b"\n1 0 obj\n<< /Forged true >>\nendobj\n%%EOF\n")
    run = _run(downloaded, "extended.pdf", "--certificate", "executive-body.pem")
    assert run.returncode == 1 and "after it was signed" in run.stdout, run.stdout
    # A changed signature value: its last byte is the CMS structure's last (no unsigned attributes).
    _signed, cms = standalone.signed_parts(pdf)
    gap = int(standalone._BYTE_RANGE.search(pdf).group(2))  # the /Contents hex string starts here
    start = gap + 1 + 2 * (len(cms) - 1)
    flipped = b"0" if pdf[start:start + 1] != b"0" else b"1"
    (downloaded / "resigned.pdf").write_bytes(pdf[:start] + flipped + pdf[start + 1:])
    run = _run(downloaded, "resigned.pdf", "--certificate", "executive-body.pem")
    assert run.returncode == 1 and run.stdout.startswith("FAILED"), run.stdout


def test_a_pdf_signed_with_another_key_fails(downloaded, settings):
    from members.demo import blank_pdf

    genuine = signing.sign_pdf(blank_pdf("公告"), when=WHEN, reason="bulletin-0009")
    (downloaded / "genuine.pdf").write_bytes(genuine)
    assert _run(downloaded, "genuine.pdf", "--certificate", "executive-body.pem").returncode == 0
    _other_identity(downloaded, settings)
    forged = signing.sign_pdf(blank_pdf("公告"), when=WHEN, reason="bulletin-0009")
    assert not signing.identity().demo  # really signed with the forger's key
    (downloaded / "forged.pdf").write_bytes(forged)
    run = _run(downloaded, "forged.pdf", "--certificate", "executive-body.pem")
    assert run.returncode == 1 and "not made with the trusted key" in run.stdout, run.stdout
    # Against the forger's own certificate it is a valid signature: the check is the trusted key.
    run = _run(downloaded, "forged.pdf", "--certificate", "other-cert.pem")
    assert run.returncode == 0, run.stdout
    assert _run(downloaded, "forged.pdf", "--key-sha256", standalone_key(downloaded / "executive-body.pem")
                ).returncode == 1


def standalone_key(path: Path) -> str:
    import hashlib

    return hashlib.sha256(standalone.spki_of(standalone.certificate_from_file(path.read_bytes()))).hexdigest()


def test_an_unsigned_pdf_and_bad_use(downloaded):
    from members.demo import blank_pdf

    (downloaded / "plain.pdf").write_bytes(blank_pdf("x"))
    run = _run(downloaded, "plain.pdf", "--certificate", "executive-body.pem")
    assert run.returncode == 1 and "no signature" in run.stdout
    assert _run(downloaded, "plain.pdf").returncode == 2
    assert standalone_key(downloaded / "executive-body.pem") == signing.identity().key_sha256
