"""Evidence files: checked by content, then rewritten without metadata before they are stored.

Images are decoded and re-encoded by Pillow (EXIF, GPS, XMP and comments do not survive); PDFs lose their
document information, XMP metadata, JavaScript, automatic actions and embedded files through pikepdf. A
file that claims a type by its first bytes but does not decode as that type is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from django.core.files.uploadedfile import UploadedFile

from members.core.documents import check_document, refuse
from members.core.errors import DomainError

EVIDENCE_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class CleanEvidence:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def _refuse(field: str) -> DomainError:
    return refuse(field)


def _clean_pdf(content: bytes, field: str) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                raise _refuse(field)
            root = pdf.Root
            for key in ("/Metadata", "/OpenAction", "/AA", "/AcroForm"):
                if key in root:
                    del root[key]
            if "/Names" in root:
                names = root.Names
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in names:
                        del names[key]
            for page in pdf.pages:
                if "/AA" in page.obj:
                    del page.obj["/AA"]
                if "/Annots" in page.obj:
                    kept = pikepdf.Array(
                        a for a in page.obj.Annots
                        if a.get("/Subtype") not in ("/FileAttachment", "/Screen", "/Movie", "/Sound")
                        and "/JS" not in a.get("/A", {})
                    )
                    page.obj.Annots = kept
            out = io.BytesIO()
            # Dropping /Info here and not writing a fresh XMP leaves no author, creator or dates behind.
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            pdf.remove_unreferenced_resources()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    except pikepdf.PdfError as exc:
        raise _refuse(field) from exc
    return out.getvalue()


def evidence_clean(upload: UploadedFile, field: str = "evidence") -> CleanEvidence:
    """The same content checks as members' documents; PDFs additionally lose their metadata."""
    checked = check_document(upload, allowed=EVIDENCE_TYPES, field=field, clean_pdf=_clean_pdf)
    return CleanEvidence(checked.content, checked.content_type, checked.extension, checked.sha256)
