"""Members' documents get the same content checks as complaint evidence (one shared checker): images are
re-encoded, decompression bombs, polyglots and files whose declared type disagrees with their content are
refused, and nothing is stored for a refused file."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from complaints.evidence import evidence_clean
from members import services
from members.core.errors import DomainError
from members.models import Document
from tests.factories import make_application, upload
from tests.helpers import for_org


def png(width: int = 8, height: int = 8) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(buf, format="PNG")
    return buf.getvalue()


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buf, format="JPEG", comment=b"scanner serial 123")
    return buf.getvalue()


def png_bomb(side: int = 20000) -> bytes:
    """A valid PNG header for side×side pixels with one compressed row of data: a few bytes on disk,
    400 million pixels once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * (side + 1)))
            + chunk(b"IEND", b""))


POLYGLOT = jpeg() + b"<html><body><script>alert(document.cookie)</script></body></html>"
HIDDEN_MARKUP = jpeg()[:-2] + b"<svg onload=alert(1)>" + b"\xff\xd9"


def _upload_document(name: str, content: bytes, content_type: str):
    app = make_application(documents=False)
    return services.document_upload(for_org(app.organisation), organisation=app.organisation, kind="business_licence",
                                    upload=upload(name, content, content_type), application=app)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("bomb.png", png_bomb(), "image/png"),
    ("licence.jpg", POLYGLOT, "image/jpeg"),
    ("licence.jpg", HIDDEN_MARKUP, "image/jpeg"),
    ("licence.pdf", jpeg(), "application/pdf"),   # a JPEG calling itself a PDF
    ("licence.png", jpeg(), "image/png"),
    ("licence.jpg", png(), "image/jpeg"),
    ("licence.jpg", png(), "image/png"),          # the name says JPEG, the content is PNG
    ("licence.html", png(), "image/png"),
], ids=["bomb", "polyglot", "hidden-markup", "jpeg-as-pdf", "jpeg-as-png", "png-as-jpeg", "png-named-jpg",
        "html-name"])
def test_a_document_refused_as_evidence_is_refused_as_a_document_and_nothing_is_stored(
        name, content, content_type, _private_storage):
    with pytest.raises(DomainError) as exc:
        _upload_document(name, content, content_type)
    assert exc.value.code == "file_corrupt" and exc.value.field == "business_licence"
    assert not Document.objects.exists()
    assert not [p for p in _private_storage.rglob("*") if p.is_file()] if _private_storage.exists() else True
    with pytest.raises(DomainError) as evidence_exc:
        evidence_clean(upload(name, content, content_type))
    assert evidence_exc.value.code == "file_corrupt"


@pytest.mark.django_db
def test_an_image_document_is_stored_re_encoded_without_its_metadata(_private_storage):
    original = jpeg()
    doc = _upload_document("licence.JPG", original, "image/jpeg")
    stored = doc.file.read()
    assert stored != original and b"scanner serial" not in stored and b"scanner serial" in original
    with Image.open(io.BytesIO(stored)) as img:
        assert (img.format, img.size) == ("JPEG", (16, 16))
    assert doc.sha256 == Document.hash_bytes(stored) and doc.size == len(stored)


@pytest.mark.django_db
def test_an_image_whose_browser_type_is_generic_is_accepted_by_its_content(_private_storage):
    doc = _upload_document("scan", png(), "application/octet-stream")
    assert doc.content_type == "image/png"
