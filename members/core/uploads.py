"""Checks on uploaded documents: type by content, size, and an empty result on any doubt."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from members.core.errors import DomainError
from members.core.i18n import list_separator

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
        names = list_separator().join(sorted({ext.upper() for ext in allowed.values()}))
        raise DomainError(
            _("文件类型不符：只接受 %(types)s 文件（按文件内容判断，而非扩展名）。") % {"types": names},
            code="file_type", field=field,
        )
    name = (upload.name or "upload").rsplit("/", 1)[-1][:200]
    return CheckedUpload(content, mime, allowed[mime], hashlib.sha256(content).hexdigest(), name)


# --- PDF sanitising (issue 8) -----------------------------------------------------------------------
# What makes a PDF do something when opened: actions, scripts, embedded/associated files, XFA forms.
_ACTIVE_KEYS = ("/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/AF", "/XFA",
                "/RichMediaContent")
_ACTIVE_ACTIONS = ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/GoToE")
_FILE_TYPES = ("/Filespec", "/EmbeddedFile")
_FILE_ANNOTS = ("/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen")


def _reachable(pdf: Any) -> Iterator[Any]:
    """Every dictionary and stream reachable from the trailer (direct or indirect), once."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = [pdf.trailer]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(x for x in obj if isinstance(x, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream))
            continue
        yield obj
        for key in list(obj.keys()):
            value = obj.get(key)
            if isinstance(value, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream):
                stack.append(value)


def sanitize_pdf(content: bytes, field: str = "file") -> bytes:
    """The same pages without JavaScript, automatic actions, embedded files, XFA or active links.

    Raises DomainError when the bytes do not parse as a PDF (a sealed page must be a readable PDF).
    Pages, images and text are left as they were.
    """
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except (pikepdf.PdfError, ValueError) as exc:
        raise DomainError(_("PDF 文件已损坏或无法读取。"), code="file_unreadable", field=field) from exc
    with pdf:
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if annots is not None:
                page.obj.Annots = pikepdf.Array(a for a in annots if str(a.get("/Subtype")) not in _FILE_ANNOTS)
        for obj in list(_reachable(pdf)):
            for key in _ACTIVE_KEYS:
                if key in obj:
                    del obj[key]
            if str(obj.get("/S")) in _ACTIVE_ACTIONS:
                for key in ("/S", "/F", "/Next", "/Win", "/Mac", "/Unix"):  # an action without a type does nothing
                    if key in obj:
                        del obj[key]
            if isinstance(obj, pikepdf.Dictionary) and str(obj.get("/Type")) in _FILE_TYPES:
                for key in ("/EF", "/RF", "/F", "/UF"):
                    if key in obj:
                        del obj[key]
        out = io.BytesIO()
        pdf.remove_unreferenced_resources()
        pdf.save(out)
    return out.getvalue()


def pdf_active_parts(content: bytes) -> list[str]:
    """The active features still reachable in a PDF (empty when clean)."""
    import pikepdf

    found: set[str] = set()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for obj in _reachable(pdf):
            found.update(key for key in _ACTIVE_KEYS if key in obj)
            if str(obj.get("/S")) in _ACTIVE_ACTIONS:
                found.add(f"/S {obj.get('/S')}")
            if str(obj.get("/Type")) in _FILE_TYPES:
                found.add(str(obj.get("/Type")))
    return sorted(found)
