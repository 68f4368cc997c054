"""The one content check for every uploaded file: members' documents and complaint evidence alike.

``check_document`` accepts a file only when
1. its bytes are an allowed type and it fits the size limit (``uploads.check_upload``);
2. the type it declares (its name's extension, and the browser's content type when it names one of the
   accepted types) agrees with its content: a JPEG called ``licence.pdf`` is refused, not "corrected";
3. it carries nothing but that one file: no markup or script anywhere in an image and nothing after the
   image's end marker (a JPEG+HTML polyglot opens as a page in a careless viewer);
4. it decodes: images are decoded and re-encoded by Pillow (what is stored is only the pixels: no EXIF,
   GPS, comments or appended payloads); images of more than ``UPLOAD_MAX_PIXELS`` are refused before
   they are decoded (a 20000×20000 PNG of a few kilobytes would take gigabytes); PDFs are rewritten
   without JavaScript, actions and embedded files by the caller's PDF cleaner.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from members.core.errors import DomainError
from members.core.uploads import DOCUMENT_TYPES, CheckedUpload, check_upload, sanitize_pdf

EXTENSIONS = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
# Markup that makes a file something a browser or viewer would run or render as a page.
_MARKUP = re.compile(rb"<\s*(?:script|html|body|head|iframe|svg|object|embed|img|meta|a\s|!doctype|\?php|\?xml)",
                     re.IGNORECASE)
_END = {"image/jpeg": b"\xff\xd9", "image/png": b"IEND\xaeB`\x82"}


def refuse(field: str) -> DomainError:
    return DomainError(_("文件内容与其类型不符或已损坏，未予接收。"), code="file_corrupt", field=field)


def _declared_agrees(upload: UploadedFile, mime: str) -> bool:
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and EXTENSIONS.get(extension) != mime:
        return False
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    return declared not in EXTENSIONS.values() or declared == mime


def _single_image(content: bytes, mime: str) -> bool:
    if _MARKUP.search(content):
        return False
    return content.rstrip(b"\x00\r\n\t ").endswith(_END[mime])


def reencode_image(content: bytes, mime: str, field: str) -> bytes:
    """The image's pixels in a fresh file of the same type, or DomainError if it does not decode."""
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > settings.UPLOAD_MAX_PIXELS:
                raise refuse(field)
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
        raise refuse(field) from exc
    return out.getvalue()


def check_document(upload: UploadedFile, allowed: dict[str, str] | None = None, field: str = "file",
                   clean_pdf: Callable[[bytes, str], bytes] = sanitize_pdf) -> CheckedUpload:
    """The upload's cleaned bytes (what is stored and hashed), or DomainError saying why it is refused."""
    checked = check_upload(upload, allowed=allowed or DOCUMENT_TYPES, field=field)
    mime = checked.content_type
    if not _declared_agrees(upload, mime):
        raise refuse(field)
    if mime == "application/pdf":
        content = clean_pdf(checked.content, field)
    else:
        if not _single_image(checked.content, mime):
            raise refuse(field)
        content = reencode_image(checked.content, mime, field)
    return CheckedUpload(content, mime, checked.extension, hashlib.sha256(content).hexdigest(),
                         checked.original_name)
