"""Backup codes and device resets: one transaction each, audited (never with the codes themselves)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from members.audit.recorder import record
from members.core.policy import Actor, authorize

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"


def backup_codes_remaining(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def backup_codes_issue(user: Any) -> list[str]:
    """Replace the account's backup codes with new ones and return them (to be shown once).

    Each code opens one login when the phone is lost: django-otp's static device deletes a code as it
    accepts it. Only the count is recorded in the audit log.
    """
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME,
                                                          defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record("backup_codes_issue", model="otp_static.staticdevice", object_id=device.pk, actor=user,
           note=f"{len(codes)} codes")
    return codes


@transaction.atomic
def devices_reset(actor: Actor, target: Any) -> int:
    """Delete every second-factor device of ``target`` (TOTP and backup codes) and revoke the API tokens
    made in its verified sessions; the next login leads it to enrolment. Returns the devices removed."""
    authorize(actor, "twofactor.reset", target)
    from members.audit.tokens.services import tokens_revoke_for_user

    devices = list(devices_for_user(target, confirmed=None))
    for device in devices:
        device.delete()
    revoked = tokens_revoke_for_user(actor, target, note="second-factor devices reset", verified_only=True)
    record("otp_reset", model="auth.user", object_id=target.pk, actor=actor.record_user,
           note=f"{len(devices)} devices removed, {revoked} tokens revoked")
    return len(devices)
