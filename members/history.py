"""Services that keep the register's past fixed: scheduled ends taking effect, public details
changed by staff as effective-dated versions, and corrections of versions that were wrong.

A withdrawal acknowledged for a later date is recorded at once (its event and the period's end date),
while the organisation's status columns follow only when the day comes: ``memberships_apply_due``
(beat, and safe to run any number of times) brings every projection up to today, however long beat
was down.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, DomainError
from members.core.i18n import interpolate_lazy
from members.core.policy import Actor, authorize
from members.core.texts import text
from members.public.selectors import forget_register_stamp
from members.transparency.services import log_append

from . import uscc as uscc_rules
from .details.models import OrganisationDetails
from .details.selectors import DETAIL_FIELDS, details_version_on
from .details.services import details_record, has_public_record
from .models import Membership, MembershipEvent, MembershipStatus, Organisation, roles_to_text
from .selectors import memberships_active_on, projection_from_events
from .signals import membership_ended


def projection_refresh(org: Organisation) -> bool:
    """Write the status columns the events give for today. Hold the organisation's row lock.

    Sends ``membership_ended`` when this refresh is the moment an end takes effect. True if changed.
    """
    events = list(MembershipEvent.objects.in_force().filter(organisation=org).order_by("effective_date", "id"))
    expected = projection_from_events([(e.kind, e.effective_date) for e in events], clock.today())
    current = (org.status, org.joined_on, org.left_on)
    if current == (expected.status, expected.joined_on, expected.left_on):
        return False
    Organisation.objects.filter(pk=org.pk).update(status=expected.status, joined_on=expected.joined_on,
                                                  left_on=expected.left_on, updated_at=clock.now())
    forget_register_stamp()  # update() sends no signal
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


# --- Corrections of published details -------------------------------------------------------------

CORRECTABLE_FIELDS = ("name", "name_en", "roles", "region")


@transaction.atomic
def details_correct(actor: Actor, version: OrganisationDetails, *, data: dict[str, Any],
                    reason: str) -> OrganisationDetails:
    """Staff correct a details version that was wrong for its days (a typo in a past name).

    1. Lock the organisation, authorise, re-read the version.
    2. Refuse, writing nothing: no reason; a field that is not a public detail one may correct (the
       code identifies the organisation); a version already corrected (correct its correction) or
       replaced on its own day; invalid values; a correction that changes nothing.
    3. Append the correction: a new version for the same days that names the one it corrects, with who,
       when and why. The original row stays as it was; every reader takes the correction instead.
    4. If the corrected version is the one in force today, the record takes the corrected details too.
    5. The public log gets an entry for the correction. Published bulletins keep their files; a
       correction bulletin of an affected period (``publication_correct``) states the corrected line.
    """
    org = Organisation.objects.select_for_update(no_key=True).get(pk=version.organisation_id)
    authorize(actor, "organisation.details_correct", org)
    version = OrganisationDetails.objects.select_for_update(no_key=True).get(pk=version.pk)
    if not reason.strip():
        raise DomainError(_("更正公开信息必须说明理由。"), code="correction_reason_required", field="reason")
    unknown = sorted(set(data) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise DomainError(interpolate_lazy(_("不能更正这些字段：%(fields)s。统一社会信用代码标识单位本身，不能更正。"),
                                           {"fields": ", ".join(unknown)}), code="not_correctable", field=unknown[0])
    if OrganisationDetails.objects.filter(corrects=version).exists():
        raise Conflict(_("该版本已被更正，请更正其更正版本。"), code="already_corrected")
    if OrganisationDetails.objects.filter(organisation=org, valid_from=version.valid_from, pk__gt=version.pk).exists():
        raise Conflict(_("该版本在生效当日已被后一版本替代，从未公开生效，无需更正。"), code="version_not_in_force")
    corrected = {f: getattr(version, f) for f in DETAIL_FIELDS}
    corrected.update(_clean_correction(data))
    if all(corrected[f] == getattr(version, f) for f in DETAIL_FIELDS):
        raise DomainError(_("更正内容与原版本相同，没有需要更正的内容。"), code="correction_changes_nothing")
    in_force_today = details_version_on(org, clock.today())
    correction = OrganisationDetails.objects.create(
        organisation=org, valid_from=version.valid_from, corrects=version, actor=actor.record_user,
        reason=reason.strip(), recorded_at=clock.now(), **corrected)
    if in_force_today is not None and in_force_today.pk == version.pk:
        for f in CORRECTABLE_FIELDS:
            setattr(org, f, corrected[f])
        org.save()  # the record and the version in force agree again (and the pinyin key follows)
    # Every public page of the organisation changes: the register's stamp (ETags, caches) must move.
    Organisation.objects.filter(pk=org.pk).update(updated_at=clock.now())
    forget_register_stamp()
    log_append("details_correction", correction)
    return correction


def _clean_correction(data: dict[str, Any]) -> dict[str, str]:
    from .regions import REGIONS

    out: dict[str, str] = {}
    for field, value in data.items():
        text = value if isinstance(value, list | tuple | set) else str(value or "").strip()
        if field == "roles":
            try:
                out[field] = roles_to_text(text if isinstance(text, list | tuple | set) else text.split(","))
            except ValidationError as exc:
                raise DomainError(exc.messages[0], code="invalid_field", field=field) from exc
            if not out[field]:
                raise DomainError(_("至少选择一个角色。"), code="invalid_field", field=field)
        elif field == "region" and text not in dict(REGIONS):
            raise DomainError(_("请选择有效的省级行政区。"), code="invalid_field", field=field)
        elif field == "name" and not text:
            raise DomainError(_("单位名称不能为空。"), code="invalid_field", field=field)
        elif len(str(text)) > (cast(CharField, Organisation._meta.get_field(field)).max_length or 0):
            raise DomainError(_("内容过长。"), code="invalid_field", field=field)
        else:
            out[field] = str(text)
    return out
