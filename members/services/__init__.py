"""Every state change of the register, one transaction each that appends its event row.

Views, admin actions, API views, commands and tasks call these; none repeats a transition's effects.
Modules: ``applications`` (organisations, join applications), ``documents``, ``memberships`` (periods,
revocation, withdrawal notices), ``notifications``, and the shared ``locks``; the public names are
re-exported here.
"""

from __future__ import annotations

from .applications import (
    ORG_FIELDS,
    PUBLIC_ORG_FIELDS,
    application_approve,
    application_create,
    application_reapply,
    application_reject,
    application_return,
    application_start_review,
    application_submit,
    application_update,
    application_verify_sealed_page,
    organisation_validate_uscc,
)
from .constants import (
    ART_JOIN,
    ART_REVOKE,
    ART_WITHDRAW,
)
from .documents import (
    document_upload,
)
from .memberships import (
    membership_revoke,
    membership_start,
    projection_refresh,
    withdrawal_acknowledge,
    withdrawal_cancel,
    withdrawal_file,
)
from .notifications import (
    bulk_roles,
    notify,
    representatives_emails,
)

__all__ = [
    "ART_JOIN",
    "ART_WITHDRAW",
    "ART_REVOKE",
    "notify",
    "representatives_emails",
    "bulk_roles",
    "document_upload",
    "membership_start",
    "projection_refresh",
    "membership_revoke",
    "withdrawal_file",
    "withdrawal_acknowledge",
    "withdrawal_cancel",
    "organisation_validate_uscc",
    "application_create",
    "application_reapply",
    "application_update",
    "application_submit",
    "application_start_review",
    "application_verify_sealed_page",
    "application_return",
    "application_reject",
    "application_approve",
    "ORG_FIELDS",
    "PUBLIC_ORG_FIELDS",
]
