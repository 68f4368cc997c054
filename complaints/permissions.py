"""Who may act on complaints, measures and disputes (Art 21, 22), and the complaint officers' permissions.

Registered into the one policy table and the staff groups when the app is ready.
"""

from __future__ import annotations

from members.core.policy import JOBS, PUBLIC, REPRESENTATIVE, Permission, allow, own, staff
from members.groups import COMPLAINT_OFFICER

CASES = "complaints.change_complaint"
DISPUTES = "complaints.change_dispute"

RULES: dict[str, Permission] = {
    "complaint.file": allow(PUBLIC),  # anyone, account or not
    "complaint.start_verification": allow(staff(CASES)),
    "complaint.close_unfounded": allow(staff(CASES)),
    "complaint.substantiate": allow(staff(CASES)),
    "complaint.assign": allow(staff(CASES)),
    "complaint.note": allow(staff(CASES)),
    "complaint.reporter_purge": allow(JOBS),
    "complaint.revoke_membership": allow(staff(CASES), grants=["membership.revoke"]),
    "correction.issue": allow(staff(CASES)),
    "correction.answer": allow(own()),  # the company that was ordered to correct
    "correction.accept": allow(staff(CASES)),
    "correction.escalate": allow(staff(CASES)),
    "correction.flag_overdue": allow(JOBS),
    "internal_notice.issue": allow(staff(CASES)),
    "dispute.request": allow(REPRESENTATIVE),
    "dispute.start_mediation": allow(staff(DISPUTES)),
    "dispute.step": allow(staff(DISPUTES)),
    "dispute.settle": allow(staff(DISPUTES)),
    "dispute.not_settle": allow(staff(DISPUTES)),
    "dispute.withdraw": allow(own("requester_id"), staff(DISPUTES)),
    "complaint.view_case": allow(staff(CASES), read=True),
    "dispute.view_case": allow(staff(DISPUTES), read=True),
    "evidence.view": allow(staff("complaints.view_evidence"), read=True),
    "reporter_contact.view": allow(staff("complaints.view_reporter_contact"), read=True),
}

GROUPS: dict[str, list[str]] = {
    COMPLAINT_OFFICER: [
        "complaints.view_complaint", CASES, "complaints.view_reporter_contact",
        "complaints.view_complaintevent", "complaints.view_evidence",
        "complaints.view_correctionorder", "complaints.view_correctionevent", "complaints.view_internalnotice",
        "complaints.view_dispute", DISPUTES, "complaints.view_disputeevent",
    ],
}
