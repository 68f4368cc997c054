"""Who may do what in the register itself, and the register's share of each staff group's permissions.

Registered into the one policy table (``members.core.policy``) and the group sync (``members.groups``)
when the app is ready; ``members.core.policy`` describes the rule vocabulary.
"""

from __future__ import annotations

from members.core.policy import JOBS, SIGNED_IN, Permission, Rule, allow, own, staff
from members.groups import COMPLAINT_OFFICER, PUBLISHER, REVIEWER

APPLICATIONS = "members.change_joinapplication"
WITHDRAWALS = "members.change_withdrawalnotice"

# An account's own settings: only the signed-in account itself (the object is the user).
OWN_ACCOUNT = Rule("the account itself", lambda actor, obj: actor.is_authenticated and not actor.system
                   and obj is not None and getattr(obj, "pk", None) == actor.user.pk)

RULES: dict[str, Permission] = {
    # Join applications (Art 23, Art 14): the applicant's own organisation drafts and submits ...
    "application.create": allow(SIGNED_IN),
    "application.reapply": allow(own("pk")),
    "application.update": allow(own()),
    "application.submit": allow(own()),
    "application.resubmit": allow(own()),
    "document.upload": allow(own("pk"), JOBS),
    # ... staff review it.
    "application.start_review": allow(staff(APPLICATIONS)),
    "application.verify_sealed_page": allow(staff(APPLICATIONS)),
    "application.return": allow(staff(APPLICATIONS)),
    "application.reject": allow(staff(APPLICATIONS)),
    "application.approve": allow(staff(APPLICATIONS), grants=["membership.start"]),
    # Memberships: started by an approval, ended by a withdrawal or a revocation (Art 21, 25).
    "membership.start": allow(staff("members.add_membership")),
    "membership.revoke": allow(staff("members.change_membership"), grants=["withdrawal.cancel"]),
    "withdrawal.file": allow(own("pk"), grants=["document.upload"]),
    "withdrawal.cancel": allow(own(), staff(WITHDRAWALS)),
    "withdrawal.acknowledge": allow(staff(WITHDRAWALS)),
    "membership.apply_due": allow(JOBS),
    # Staff edits of an organisation's record (a public detail changed starts a details version).
    "organisation.details_change": allow(staff("members.change_organisation")),
    # A correction of a published details version (appended, never edited in place).
    "organisation.details_correct": allow(staff("members.change_organisation")),
    # Private documents: the organisation's own representatives and staff who review them.
    "document.view": allow(own(), staff("members.view_document"), read=True),
    # Staff reviewing a document see it inline first (a PDF's first page as an image); others get the file.
    "document.preview": allow(staff("members.view_document"), read=True),
    # The portal's own writes.
    "invitation.send": allow(own("pk")),
    "invitation.revoke": allow(own()),
    "invitation.accept": allow(SIGNED_IN),
    "representative.remove": allow(own("pk")),
    "feedback.submit": allow(own("pk")),
    "account.language_set": allow(OWN_ACCOUNT),
}

_REGISTER_READ = ["members.view_organisation", "members.view_membership", "members.view_membershipevent"]

GROUPS: dict[str, list[str]] = {
    REVIEWER: [
        *_REGISTER_READ, "members.change_organisation", "members.add_organisation",
        "members.view_joinapplication", APPLICATIONS, "members.view_applicationevent", "members.view_document",
        "members.view_withdrawalnotice", WITHDRAWALS, "members.view_withdrawalevent",
        "members.view_representative", "members.view_feedback", "members.change_feedback",
    ],
    COMPLAINT_OFFICER: list(_REGISTER_READ),
    PUBLISHER: list(_REGISTER_READ),
}
