"""The register's models, one module per part: ``organisations`` (organisations, periods, membership
events), ``cases`` (join applications, withdrawal notices, documents), ``accounts`` (representatives,
invitations, notifications, feedback). Every name is importable from ``members.models``.
"""

from __future__ import annotations

from .accounts import (
    Feedback,
    Invitation,
    Notification,
    Representative,
)
from .cases import (
    APPLICATION_ACTION_LABELS,
    APPLICATION_EDITABLE_STATES,
    APPLICATION_MACHINE,
    APPLICATION_OPEN_STATES,
    APPLICATION_TRANSITIONS,
    WITHDRAWAL_ACTION_LABELS,
    WITHDRAWAL_MACHINE,
    WITHDRAWAL_TRANSITIONS,
    ApplicationEvent,
    ApplicationState,
    Document,
    JoinApplication,
    WithdrawalEvent,
    WithdrawalNotice,
    WithdrawalState,
    private_upload_to,
)
from .organisations import (
    ROLE_ORDER,
    Membership,
    MembershipEvent,
    MembershipEventQuerySet,
    MembershipStatus,
    Organisation,
    Role,
    roles_to_text,
)

# Models of sub-packages that belong to this app (app label "members"), registered with it here; they
# import the names above, so they come last.
# isort: off
from ..accounts.models import AccountPreference  # noqa: E402 - each account's language (issue 13)
from ..details.models import OrganisationDetails  # noqa: E402
from ..public.identity import SiteIdentity  # noqa: E402 - the footer's one-row model (issue 13)
# isort: on

__all__ = [
    "Role",
    "ROLE_ORDER",
    "roles_to_text",
    "MembershipStatus",
    "Organisation",
    "Membership",
    "MembershipEventQuerySet",
    "MembershipEvent",
    "private_upload_to",
    "Document",
    "ApplicationState",
    "APPLICATION_OPEN_STATES",
    "APPLICATION_TRANSITIONS",
    "APPLICATION_EDITABLE_STATES",
    "JoinApplication",
    "APPLICATION_ACTION_LABELS",
    "WITHDRAWAL_ACTION_LABELS",
    "ApplicationEvent",
    "APPLICATION_MACHINE",
    "WithdrawalState",
    "WithdrawalNotice",
    "WithdrawalEvent",
    "WITHDRAWAL_MACHINE",
    "WITHDRAWAL_TRANSITIONS",
    "Representative",
    "Invitation",
    "Notification",
    "Feedback",
    "AccountPreference",
    "OrganisationDetails",
    "SiteIdentity",
]
