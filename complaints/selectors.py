"""Reads for complaints, notices and disputes. What each audience may see is decided here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from members.models import MembershipEvent, Organisation

from .models import (
    Complaint,
    CorrectionOrder,
    Dispute,
    InternalNotice,
    tracking_code_hash,
    tracking_code_normalise,
)

TRACKING_CODE_LENGTH = 26


def complaint_by_tracking_code(raw: str) -> Complaint | None:
    code = tracking_code_normalise(raw or "")
    if len(code) != TRACKING_CODE_LENGTH:
        return None
    return Complaint.objects.select_related("organisation").filter(tracking_hash=tracking_code_hash(code)).first()


def public_notices() -> QuerySet[MembershipEvent]:
    """Every revocation with a public notice (Art 21), newest first: the public notices page and API."""
    return (
        MembershipEvent.objects.filter(kind=MembershipEvent.Kind.REVOKED).exclude(public_notice="")
        .select_related("organisation").order_by("-effective_date", "-id")
    )


def internal_notices_for(org: Organisation | None) -> QuerySet[InternalNotice]:
    """Internal notices are for member companies: current signatories' representatives only."""
    if org is None or not org.is_signatory:
        return InternalNotice.objects.none()
    return InternalNotice.objects.select_related("organisation").order_by("-published_at", "-id")


def corrections_for(org: Organisation | None) -> QuerySet[CorrectionOrder]:
    if org is None:
        return CorrectionOrder.objects.none()
    return CorrectionOrder.objects.filter(organisation=org).order_by("-issued_at", "-id")


def disputes_for(org: Organisation | None) -> QuerySet[Dispute]:
    if org is None:
        return Dispute.objects.none()
    return (Dispute.objects.filter(Q(requester=org) | Q(respondent=org))
            .select_related("requester", "respondent").order_by("-requested_at", "-id"))


# --- Masking for lists and logs ----------------------------------------------------------------------

def mask_name(value: str) -> str:
    return f"{value[0]}{'*' * max(len(value) - 1, 1)}" if value else ""


def mask_email(value: str) -> str:
    if "@" not in value:
        return mask_name(value)
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_phone(value: str) -> str:
    digits = value.strip()
    return f"{digits[:3]}****{digits[-2:]}" if len(digits) >= 7 else "****"


def reporter_masked(c: Complaint) -> str:
    parts = [mask_name(c.reporter_name), mask_email(c.reporter_email), mask_phone(c.reporter_phone) if c.reporter_phone else ""]
    return " ".join(p for p in parts if p)
