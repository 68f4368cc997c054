"""Uploaded documents are checked by content and size; refused files leave nothing behind."""

from __future__ import annotations

import pytest

from members import services
from members.core.errors import DomainError
from members.models import Document
from tests.factories import PNG_BYTES, make_application, upload
from tests.helpers import for_org


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("licence.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "file_type"),
        ("licence.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "file_type"),
        ("licence.pdf", b"", "file_empty"),
    ],
)
def test_it_refuses_disguised_or_empty_files_and_stores_nothing(name, content, code, _private_storage):
    app = make_application(documents=False)
    with pytest.raises(DomainError) as exc:
        services.document_upload(for_org(app.organisation), organisation=app.organisation, kind="business_licence",
                                 upload=upload(name, content, "application/pdf"), application=app)
    assert exc.value.code == code and exc.value.field == "business_licence"
    assert not Document.objects.exists()
    assert _files(_private_storage) == []


@pytest.mark.django_db
def test_it_refuses_oversized_files(settings, _private_storage):
    settings.UPLOAD_MAX_BYTES = 1000
    app = make_application(documents=False)
    with pytest.raises(DomainError) as exc:
        services.document_upload(for_org(app.organisation), organisation=app.organisation, kind="sealed_page",
                                 upload=upload("big.png", PNG_BYTES + b"\0" * 2000, "image/png"),
                                 application=app)
    assert exc.value.code == "file_too_large"
    assert not Document.objects.exists() and _files(_private_storage) == []


@pytest.mark.django_db
def test_it_stores_accepted_files_privately_with_their_hash(_private_storage):
    import hashlib

    app = make_application(documents=False)
    doc = services.document_upload(for_org(app.organisation), organisation=app.organisation, kind="sealed_page",
                                   upload=upload("scan.PNG", PNG_BYTES, "application/octet-stream"),
                                   application=app)
    stored = _files(_private_storage)
    assert len(stored) == 1 and "scan" not in stored[0].name
    # What is stored is the re-encoded image, and the hash is of the stored bytes.
    assert doc.content_type == "image/png" and doc.sha256 == hashlib.sha256(stored[0].read_bytes()).hexdigest()
    again = services.document_upload(for_org(app.organisation), organisation=app.organisation, kind="sealed_page",
                                     upload=upload(), application=app)
    doc.refresh_from_db()
    assert doc.superseded and app.current_document("sealed_page") == again


@pytest.mark.django_db
def test_documents_are_served_only_to_staff_and_the_organisations_own_representatives(
    client, reviewer, rep_a, rep_b, org_a
):
    from tests.helpers import login_staff

    app = make_application(org_a)
    doc = app.current_document("sealed_page")
    url = f"/documents/{doc.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(rep_b)
    assert client.get(url).status_code == 404
    client.force_login(rep_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    login_staff(client, reviewer)
    assert client.get(url).status_code == 200
