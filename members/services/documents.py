"""Uploaded documents: checked by content, stored privately, never public (Art 8)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from members.core.documents import check_document
from members.core.errors import DomainError, TransitionNotAllowed
from members.core.policy import Actor, authorize

from ..models import (
    Document,
    JoinApplication,
    Organisation,
    WithdrawalNotice,
)
from .locks import lock_application


@transaction.atomic
def document_upload(actor: Actor, *, organisation: Organisation, kind: str, upload: UploadedFile,
                    application: JoinApplication | None = None,
                    withdrawal: WithdrawalNotice | None = None) -> Document:
    """Check the file by content and size, store it privately, supersede the previous one of its kind."""
    authorize(actor, "document.upload", organisation)
    if application is not None and application.organisation_id != organisation.pk:
        raise DomainError(_("文件与申请不属于同一单位。"), code="document_organisation")
    if kind not in Document.Kind.values:
        raise DomainError(_("未知文件类型。"), code="document_kind", field="kind")
    if application is not None:
        app = lock_application(application)
        if not app.is_editable:
            raise TransitionNotAllowed(_("申请已提交，当前不能更换文件。"))
    # Staff open these: store only the re-encoded image, or the PDF without scripts, actions and files.
    checked = check_document(upload, field=kind)
    content = checked.content
    doc = Document(
        organisation=organisation, application=application, withdrawal=withdrawal, kind=kind,
        original_name=checked.original_name, content_type=checked.content_type, size=len(content),
        sha256=Document.hash_bytes(content), uploaded_by=actor.record_user,
    )
    scope = Document.objects.filter(organisation=organisation, kind=kind, superseded=False)
    doc.file.save(f"{kind}.{checked.extension}", ContentFile(content), save=False)
    try:
        if application is not None:
            scope.filter(application=application).update(superseded=True)
        if withdrawal is not None:
            scope.filter(withdrawal=withdrawal).update(superseded=True)
        doc.save()
    except Exception:
        doc.file.storage.delete(doc.file.name or "")  # no stray file when the row is not written
        raise
    return doc
