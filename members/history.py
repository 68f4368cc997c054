"""Services that keep the register's past fixed: scheduled ends taking effect, and public details
changed by staff as effective-dated versions.

A withdrawal acknowledged for a later date is recorded at once (its event and the period's end date),
while the organisation's status columns follow only when the day comes: ``memberships_apply_due``
(beat, and safe to run any number of times) brings every projection up to today, however long beat
was down.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from members.core import clock
from members.core.errors import DomainError
from members.core.policy import Actor, authorize
from members.core.texts import text

from . import uscc as uscc_rules
from .details.services import details_record, has_public_record
from .models import Membership, MembershipEvent, MembershipStatus, Organisation, roles_to_text
from .selectors import memberships_active_on, projection_from_events
from .signals import membership_ended


def projection_refresh(org: Organisation) -> bool:
    """Write the status columns the events give for today. Hold the organisation's row lock.

    Sends ``membership_ended`` when this refresh is the moment an end takes effect. True if changed.
    """
    events = list(MembershipEvent.objects.filter(organisation=org).order_by("effective_date", "id"))
    expected = projection_from_events([(e.kind, e.effective_date) for e in events], clock.today())
    current = (org.status, org.joined_on, org.left_on)
    if current == (expected.status, expected.joined_on, expected.left_on):
        return False
    Organisation.objects.filter(pk=org.pk).update(status=expected.status, joined_on=expected.joined_on,
                                                  left_on=expected.left_on, updated_at=clock.now())
    was_signatory = org.status == MembershipStatus.SIGNATORY
    org.status, org.joined_on, org.left_on = expected.status, expected.joined_on, expected.left_on
    if was_signatory and expected.status != MembershipStatus.SIGNATORY:
        end = [e for e in events if e.effective_date <= clock.today()][-1]
        membership_ended.send(sender=Organisation, organisation=org, event=end)
    return True


@transaction.atomic
def membership_projection_apply(org_id: int) -> bool:
    """One organisation's projection brought up to today, under its row lock (the job's step)."""
    org = Organisation.objects.select_for_update(no_key=True).filter(pk=org_id).first()
    return projection_refresh(org) if org is not None else False


def organisations_due() -> list[int]:
    """Signatories in the projection whose period has ended by today (a scheduled end fell due)."""
    today = clock.today()
    ended = Membership.objects.filter(organisation=OuterRef("pk"), ended_on__lte=today)
    active = memberships_active_on(today).filter(organisation=OuterRef("pk"))
    return list(Organisation.objects.filter(Exists(ended), status=MembershipStatus.SIGNATORY)
                .exclude(Exists(active)).order_by("pk").values_list("pk", flat=True))


def memberships_apply_due(actor: Actor) -> int:
    """Every scheduled end that fell due takes effect, once: each in its own transaction and lock."""
    authorize(actor, "membership.apply_due")
    return sum(membership_projection_apply(pk) for pk in organisations_due())


# --- Public details --------------------------------------------------------------------------------

STAFF_FIELDS = ("uscc", "name", "name_en", "roles", "region", "website", "contact_name", "contact_phone",
                "contact_email", "uscc_check_waived", "uscc_waiver_reason")


@transaction.atomic
def organisation_details_change(actor: Actor, org: Organisation, *, data: dict[str, Any],
                                reason: str = "") -> Organisation:
    """Staff change an organisation's record (the admin calls this; the audit log records it).

    1. Lock the row and apply the fields given. 2. Validate (a waived code needs a justification).
    3. If the organisation has a membership history and a public detail changed, append a details
       version valid from today: every earlier date keeps the details it had.
    """
    unknown = set(data) - set(STAFF_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    org = Organisation.objects.select_for_update(no_key=True).get(pk=org.pk)
    authorize(actor, "organisation.details_change", org)
    user = actor.record_user
    waiving = bool(data.get("uscc_check_waived")) and not org.uscc_check_waived
    for field, value in data.items():
        if field == "roles":
            value = roles_to_text(value if isinstance(value, list | tuple | set) else str(value).split(","))
        if field == "uscc":
            value = uscc_rules.normalise(value)
        setattr(org, field, value if value is not None else "")
    if waiving:
        org.uscc_waived_by = user
    try:
        org.full_clean(exclude=["status"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], code="invalid_field", field=field) from exc
    org.save()
    if has_public_record(org):
        details_record(org, valid_from=clock.today(), actor=user, reason=reason or text("details.staff_change"))
    return org
