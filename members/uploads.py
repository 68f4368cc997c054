"""Checks on uploaded documents: type by content, size, and an empty result on any doubt."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str


def check_upload(upload: UploadedFile, allowed: dict[str, str] | None = None, field: str = "file") -> CheckedUpload:
    """Read the upload, refuse it unless its bytes are an allowed type and it fits the size limit.

    The declared content type and the file name are ignored: a renamed HTML page stays an HTML page.
    """
    allowed = allowed or DOCUMENT_TYPES
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise DomainError(
            _("文件过大（%(size)s），上限为 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large", field=field,
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise DomainError(_("文件过大，上限为 %(limit)s。") % {"limit": filesizeformat(limit)},
                          code="file_too_large", field=field)
    if not content:
        raise DomainError(_("文件为空。"), code="file_empty", field=field)
    kind = filetype.guess(content)
    mime = kind.mime if kind else None
    if mime not in allowed:
        names = "、".join(sorted({ext.upper() for ext in allowed.values()}))
        raise DomainError(
            _("文件类型不符：只接受 %(types)s 文件（按文件内容判断，而非扩展名）。") % {"types": names},
            code="file_type", field=field,
        )
    name = (upload.name or "upload").rsplit("/", 1)[-1][:200]
    return CheckedUpload(content, mime, allowed[mime], hashlib.sha256(content).hexdigest(), name)


# --- PDF sanitising (issue 8) -----------------------------------------------------------------------
# Keys that make a PDF do something when opened: actions, scripts, embedded files, XFA forms.
_ACTIVE_KEYS = ("/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/XFA", "/RichMedia", "/Launch")


def sanitize_pdf(content: bytes) -> bytes:
    """The same pages without JavaScript, automatic actions, embedded files, XFA or action links.

    Raises DomainError when the bytes do not parse as a PDF (a sealed page must be a readable PDF).
    Visual content (pages, images, text) is left as it was.
    """
    import io

    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except (pikepdf.PdfError, ValueError) as exc:
        raise DomainError(_("PDF 文件已损坏或无法读取。"), code="file_unreadable", field="file") from exc
    with pdf:
        root = pdf.Root
        for key in ("/OpenAction", "/AA"):
            if key in root:
                del root[key]
        if "/Names" in root:
            names = root.Names
            for key in ("/JavaScript", "/EmbeddedFiles"):
                if key in names:
                    del names[key]
        if "/AcroForm" in root:
            form = root.AcroForm
            for key in ("/XFA", "/AA"):
                if key in form:
                    del form[key]
        for page in pdf.pages:
            page_obj = page.obj
            if "/AA" in page_obj:
                del page_obj["/AA"]
            if "/Annots" in page_obj:
                kept = pikepdf.Array()
                for annot in page_obj.Annots:
                    subtype = annot.get("/Subtype")
                    if subtype in (pikepdf.Name.FileAttachment, pikepdf.Name.RichMedia, pikepdf.Name.Movie,
                                   pikepdf.Name.Sound, pikepdf.Name.Screen):
                        continue
                    for key in ("/A", "/AA"):
                        if key in annot:
                            del annot[key]
                    kept.append(annot)
                page_obj.Annots = kept
        # Whatever is left anywhere (form fields, outlines, unreferenced objects): drop action dictionaries.
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                for key in ("/JS", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/RichMediaContent"):
                    if key in obj:
                        del obj[key]
                if obj.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch, pikepdf.Name.ImportData,
                                     pikepdf.Name.SubmitForm, pikepdf.Name.RichMediaExecute):
                    for key in ("/S", "/F", "/Next"):  # an action without a type does nothing
                        if key in obj:
                            del obj[key]
        out = io.BytesIO()
        pdf.remove_unreferenced_resources()
        pdf.save(out, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def pdf_is_active(content: bytes) -> list[str]:
    """The active features still found in a PDF (empty when clean): used by tests and checks."""
    import io

    import pikepdf

    found: set[str] = set()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                for key in _ACTIVE_KEYS + ("/EmbeddedFile",):
                    if key in obj:
                        found.add(key)
                if obj.get("/S") == pikepdf.Name.JavaScript:
                    found.add("/S /JavaScript")
                if obj.get("/Type") == pikepdf.Name.EmbeddedFile or obj.get("/Type") == pikepdf.Name.Filespec:
                    found.add(str(obj.get("/Type")))
            elif isinstance(obj, pikepdf.Stream) and obj.get("/Type") == pikepdf.Name.EmbeddedFile:
                found.add("/EmbeddedFile stream")
    return sorted(found)
