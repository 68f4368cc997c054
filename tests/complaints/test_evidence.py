"""Evidence files: checked by content, refused when disguised, stored privately without metadata."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.models import Complaint, Evidence
from members.core.errors import DomainError
from tests.complaints.conftest import file_complaint, report_payload
from tests.factories import PNG_BYTES


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Maker"  # Make
    exif[0x013B] = "Reporter Real Name"  # Artist
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes(), comment=b"private comment")
    return buf.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Reporter Real Name")
    buf = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 128, 0, 255)).save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


def pdf_with_payloads() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = "Reporter Real Name"
    pdf.docinfo["/Creator"] = "SecretWriter"
    with pdf.open_metadata() as meta:
        meta["dc:creator"] = ["Reporter Real Name"]
    js = pdf.make_stream(b"app.alert('x')")
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=js)
    pdf.Root.OpenAction = action
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["a", action])))
    pdf.attachments["secret.txt"] = pikepdf.AttachedFileSpec(pdf, b"hidden attachment")
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def up(name: str, content: bytes, ctype: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=ctype)


def _stored(ev: Evidence) -> bytes:
    with ev.file.open("rb") as fh:
        return fh.read()


def test_it_strips_exif_from_jpeg_and_text_from_png(member_a, _private_storage):
    original = jpeg_with_exif()
    assert b"Reporter Real Name" in original
    c = file_complaint(member_a, evidence=[up("a.jpg", original, "image/jpeg"),
                                           up("b.png", png_with_text(), "image/png")]).complaint
    jpg, png = c.evidence.order_by("id")
    for ev in (jpg, png):
        data = _stored(ev)
        assert b"Reporter Real Name" not in data and b"SecretCam" not in data and b"private comment" not in data
        assert str(_private_storage) in ev.file.path and "a.jpg" not in str(ev.file.name)
    with Image.open(io.BytesIO(_stored(jpg))) as img:
        assert img.size == (16, 16) and not img.getexif()
    assert jpg.content_type == "image/jpeg" and png.content_type == "image/png"


def test_it_strips_metadata_javascript_and_attachments_from_pdf(member_a):
    c = file_complaint(member_a, evidence=[up("e.pdf", pdf_with_payloads(), "application/pdf")]).complaint
    data = _stored(c.evidence.get())
    for marker in (b"Reporter Real Name", b"SecretWriter", b"app.alert", b"hidden attachment", b"/JavaScript"):
        assert marker not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1 and not pdf.attachments and "/OpenAction" not in pdf.Root


@pytest.mark.parametrize("name,content,ctype", [
    ("photo.png", b"<html><script>alert(1)</script></html>", "image/png"),  # HTML renamed
    ("proof.pdf", b"PK\x03\x04" + b"\x00" * 100, "application/pdf"),  # a ZIP archive renamed
    ("photo.png", PNG_BYTES[:16] + b"not really a png" * 8, "image/png"),  # PNG magic, garbage after
    ("doc.pdf", b"%PDF-1.4\n garbage without objects", "application/pdf"),  # PDF magic, not a PDF
    ("pic.gif", b"GIF89a" + b"\x00" * 64, "image/gif"),  # a real type that is not allowed
])
def test_it_refuses_disguised_evidence_and_writes_nothing(name, content, ctype, member_a, _private_storage):
    with pytest.raises(DomainError):
        file_complaint(member_a, evidence=[up(name, content, ctype)])
    assert Complaint.objects.count() == 0 and Evidence.objects.count() == 0
    assert not (_private_storage / "evidence").exists() or not any((_private_storage / "evidence").rglob("*"))


def test_the_form_shows_why_a_disguised_file_was_refused(client, member_a):
    payload = report_payload(client, member=member_a.uscc, description="证据见附件",
                             evidence=up("shot.png", b"<html>not an image</html>", "image/png"))
    response = client.post("/complaints/report/", payload)
    assert response.status_code == 200 and "文件类型不符" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_it_refuses_oversize_and_too_many_files(member_a, settings):
    settings.UPLOAD_MAX_BYTES = 200
    with pytest.raises(DomainError) as exc:
        file_complaint(member_a, evidence=[up("big.pdf", pdf_with_payloads(), "application/pdf")])
    assert exc.value.code == "file_too_large"
    settings.UPLOAD_MAX_BYTES = 10_000_000
    with pytest.raises(DomainError) as exc:
        file_complaint(member_a, evidence=[up(f"{i}.png", PNG_BYTES, "image/png") for i in range(6)])
    assert exc.value.code == "too_many_files"
