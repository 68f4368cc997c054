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
