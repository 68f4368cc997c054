"""Uploaded files: served only through the permission-checked view, as attachments; PDFs sanitised."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest

from members import services
from members.core.errors import DomainError
from members.core.uploads import pdf_active_parts, sanitize_pdf
from members.models import Document
from tests.factories import make_application, pdf_bytes, upload
from tests.helpers import act, login_staff


@pytest.fixture
def doc_a(org_a, rep_a):
    app = make_application(org_a, rep_a)
    return app.current_document(Document.Kind.SEALED_PAGE)


def test_own_representative_downloads_as_attachment_with_nosniff(client, doc_a, rep_a):
    client.force_login(rep_a)
    response = client.get(f"/documents/{doc_a.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == doc_a.sha256


def test_another_companys_representative_gets_404(client, doc_a, rep_b):
    client.force_login(rep_b)
    assert client.get(f"/documents/{doc_a.pk}/").status_code == 404
    assert client.get(f"/documents/{doc_a.pk + 1000}/").status_code == 404  # same answer: no existence leak


def test_anonymous_never_gets_the_file(client, doc_a):
    existing = client.get(f"/documents/{doc_a.pk}/")
    missing = client.get(f"/documents/{doc_a.pk + 1000}/")
    # Sent to the login page, identically for a real and a made-up id: nothing is revealed.
    assert existing.status_code == missing.status_code
    assert existing.status_code in (302, 404)
    assert not hasattr(existing, "streaming_content")


def test_staff_without_document_permission_gets_404(client, doc_a, complaint_officer):
    login_staff(client, complaint_officer)
    assert client.get(f"/documents/{doc_a.pk}/").status_code == 404


def test_reviewer_downloads(client, doc_a, reviewer):
    login_staff(client, reviewer)
    assert client.get(f"/documents/{doc_a.pk}/").status_code == 200


def test_stored_files_have_no_public_url(doc_a, settings):
    assert not doc_a.file.name.startswith(str(settings.STATIC_ROOT))
    assert "page.pdf" not in doc_a.file.name  # the uploader's file name is never used on disk


def active_pdf() -> bytes:
    """A PDF that runs JavaScript on open, on a page and from a link, and carries an embedded file."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes("active")))
    js = pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript,
                            JS=pikepdf.String("app.alert('pwned')"))
    pdf.Root.OpenAction = pdf.make_indirect(js)
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), pdf.make_indirect(js)])),
    )
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00evil", mime_type="application/x-msdownload")
    page = pdf.pages[0].obj
    page.AA = pikepdf.Dictionary(O=js)
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                              Rect=pikepdf.Array([0, 0, 100, 100]), A=js)
    page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.Array())
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def test_the_test_pdf_is_really_active():
    found = pdf_active_parts(active_pdf())
    assert {"/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/AA", "/XFA", "/S /JavaScript",
            "/Filespec"} <= set(found)
    assert b"evil" in active_pdf()


def test_sanitiser_removes_scripts_actions_and_embedded_files_but_keeps_pages():
    clean = sanitize_pdf(active_pdf())
    assert pdf_active_parts(clean) == []
    assert b"app.alert" not in clean and b"evil" not in clean
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert len(pdf.pages) == 1
        assert len(pdf.attachments) == 0
        assert pdf.docinfo.get("/Title") == "active"


def test_upload_of_a_pdf_with_javascript_stores_only_the_clean_copy(org_a, rep_a):
    app = make_application(org_a, rep_a, documents=False)
    original = active_pdf()
    doc = services.document_upload(act(rep_a), organisation=org_a, kind=Document.Kind.SEALED_PAGE,
                                   upload=upload("sealed.pdf", original), application=app)
    with doc.file.open("rb") as fh:
        stored = fh.read()
    assert stored != original
    assert pdf_active_parts(stored) == []
    assert doc.sha256 == hashlib.sha256(stored).hexdigest()
    assert doc.size == len(stored)


def test_a_file_that_claims_to_be_pdf_but_does_not_parse_is_refused(org_a, rep_a):
    app = make_application(org_a, rep_a, documents=False)
    broken = b"%PDF-1.7\n" + b"\x00garbage" * 50
    with pytest.raises(DomainError):
        services.document_upload(act(rep_a), organisation=org_a, kind=Document.Kind.SEALED_PAGE,
                                 upload=upload("x.pdf", broken), application=app)
    assert not Document.objects.filter(organisation=org_a).exists()


def test_staff_signed_in_without_second_factor_cannot_open_documents(client, doc_a, reviewer):
    client.force_login(reviewer)  # password only, e.g. through the e-mail login
    assert client.get(f"/documents/{doc_a.pk}/").status_code == 404
    assert reviewer.has_perm("members.view_document")  # outside a request nothing changes
