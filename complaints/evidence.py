"""Evidence files: checked by content, then rewritten without metadata before they are stored.

Images are decoded and re-encoded by Pillow (EXIF, GPS, XMP and comments do not survive); PDFs lose their
document information, XMP metadata, JavaScript, automatic actions and embedded files through pikepdf. A
file that claims a type by its first bytes but does not decode as that type is refused.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pikepdf
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from members.core.errors import DomainError
from members.core.uploads import check_upload

EVIDENCE_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# A decompression bomb is refused rather than decoded.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanEvidence:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def _refuse(field: str) -> DomainError:
    return DomainError(_("文件内容与其类型不符或已损坏，未予接收。"), code="file_corrupt", field=field)


def _clean_image(content: bytes, mime: str, field: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(field)
            probe.verify()
        with Image.open(io.BytesIO(content)) as opened:
            opened.load()
            img: Image.Image = opened
            out = io.BytesIO()
            if img.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                img = img.convert("RGBA" if mime == "image/png" else "RGB")
            if mime == "image/jpeg" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            # A fresh image from raw pixels carries no info dict: no EXIF, GPS, XMP, ICC or comments.
            fresh = Image.frombytes(img.mode, img.size, img.tobytes())
            if img.mode == "P":
                palette = img.getpalette()
                if palette is not None:
                    fresh.putpalette(palette)
            if mime == "image/jpeg":
                fresh.save(out, format="JPEG", quality=90)
            else:
                fresh.save(out, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _refuse(field) from exc
    return out.getvalue()


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
    checked = check_upload(upload, allowed=EVIDENCE_TYPES, field=field)
    if checked.content_type == "application/pdf":
        content = _clean_pdf(checked.content, field)
    else:
        content = _clean_image(checked.content, checked.content_type, field)
    return CleanEvidence(content, checked.content_type, checked.extension, hashlib.sha256(content).hexdigest())
