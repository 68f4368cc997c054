"""Who may act in the amendment process (Art 24), and the publishers' permissions for it.

Registered into the one policy table and the staff groups when the convention app is ready.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from members.core.policy import JOBS, REPRESENTATIVE, Permission, allow, own, staff
from members.groups import PUBLISHER

PROPOSALS = "convention.change_proposal"
QUALIFY = ["proposal.qualify"]
NO_ORGANISATION: dict[str, Any] = {"message": _("您的账户尚未关联单位。"), "code": "no_organisation"}

RULES: dict[str, Permission] = {
    # Members draft for their own organisation; the service checks it is a current signatory.
    "proposal.create": allow(REPRESENTATIVE, **NO_ORGANISATION),
    "proposal.create_executive": allow(staff("convention.add_proposal"),
                                       message=_("只有执行机构工作人员可以代表执行机构提出修订。")),
    "proposal.view_draft": allow(own(), staff(PROPOSALS), read=True),
    "proposal.submit": allow(own(), grants=QUALIFY, message=_("只能提交本单位的修订提议。")),
    # Executive-body proposals qualify at once; member proposals when 10·s ≥ N (granted by the act
    # that brought the count there).
    "proposal.qualify": allow(staff(PROPOSALS)),
    "proposal.check_qualification": allow(staff(PROPOSALS), grants=QUALIFY),
    "proposal.sponsor": allow(REPRESENTATIVE, grants=QUALIFY, **NO_ORGANISATION),
    "proposal.withdraw_sponsorship": allow(REPRESENTATIVE, **NO_ORGANISATION),
    "proposal.withdraw": allow(own(), staff(PROPOSALS), message=_("只能撤回本单位的修订提议。")),
    "proposal.open_ballot": allow(staff("convention.add_ballot"), message=_("只有执行机构工作人员可以发起表决。")),
    # A ballot's result is computed, never decided by a person: the close is the system's act.
    "proposal.adopt": allow(JOBS),
    "proposal.reject": allow(JOBS),
    "ballot.cast": allow(REPRESENTATIVE, **NO_ORGANISATION),
    "ballot.settle": allow(staff("convention.change_ballot")),
    "ballot.close": allow(JOBS),
}

GROUPS: dict[str, list[str]] = {
    PUBLISHER: [
        "convention.view_proposal", "convention.add_proposal", PROPOSALS,
        "convention.view_proposalchange", "convention.add_proposalchange", "convention.change_proposalchange",
        "convention.delete_proposalchange", "convention.view_sponsorship", "convention.view_proposalevent",
        "convention.view_ballot", "convention.add_ballot", "convention.change_ballot",
        "convention.view_vote", "convention.view_electoratemember",
    ],
}
