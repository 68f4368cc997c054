"""Issuing, revoking and touching API tokens: one transaction each, audited.

Who may issue or revoke is decided by the one policy (``members/audit/permissions.py``); services take
the acting ``Actor`` first, as every service does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.audit.recorder import record
from members.core.errors import Conflict, DomainError
from members.core.policy import Actor, allows, authorize

from .models import ApiToken, TokenScope, hash_token, new_plaintext


class TokenNotFound(DomainError):
    code = "not_found"
    status = 404


# last_used_at is written at most once per this interval per token: a busy client costs no write per request.
TOUCH_INTERVAL = timedelta(seconds=60)


def _summary(token: ApiToken) -> dict[str, Any]:
    # Never the hash: the audit log must not help anyone test guesses.
    return {"user_id": token.user_id, "name": token.name, "scope": token.scope, "prefix": token.prefix,
            "expires_at": token.expires_at.isoformat(), "revoked_at": token.revoked_at.isoformat()
            if token.revoked_at else None, "created_in_verified_session": token.created_in_verified_session}


@transaction.atomic
def token_create(actor: Actor, *, name: str, scope: str = TokenScope.READ,
                 expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a personal token for ``actor``'s account; returns the row and the plaintext (shown once, never
    stored). Only a token issued in a session verified with the second factor can ever carry staff powers.
    """
    authorize(actor, "token.issue")
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写令牌名称。"), field="name")
    if scope not in TokenScope.values:
        raise DomainError(_("权限范围只能是 read（只读）或 write（读写）。"), field="scope")
    days = settings.API_TOKEN_DEFAULT_DAYS if expires_in_days is None else int(expires_in_days)
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(_("有效期须在 1 至 %(max)d 天之间。") % {"max": settings.API_TOKEN_MAX_DAYS},
                          field="expires_in_days")
    plaintext, prefix = new_plaintext()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=actor.user, name=name[:100], scope=scope, prefix=prefix, key_hash=hash_token(plaintext),
        created_at=now, expires_at=now + timedelta(days=days),
        created_in_verified_session=actor.staff_verified,
    )
    record("token_create", model="audit.apitoken", object_id=token.pk, after=_summary(token), actor=actor.user)
    return token, plaintext


@transaction.atomic
def token_revoke(actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token at once; later requests with it get a 401. Revoking twice is a conflict."""
    token = ApiToken.objects.select_for_update(no_key=True).filter(pk=token_id).first()
    if token is None or not allows(actor, "token.revoke", token):
        # The same answer for "no such token" and "not yours": token ids are not revealed.
        raise TokenNotFound(_("没有这个令牌，或无权撤销它。"))
    if token.revoked_at is not None:
        raise Conflict(_("该令牌已撤销。"))
    before = _summary(token)
    token.revoked_at = timezone.now()
    token.revoked_by = actor.record_user
    token.save(update_fields=["revoked_at", "revoked_by"])
    record("token_revoke", model="audit.apitoken", object_id=token.pk, before=before, after=_summary(token),
           actor=actor.record_user)
    return token


def tokens_revoke_for_user(actor: Actor, user: Any, note: str, *, verified_only: bool = False) -> int:
    """Revoke the usable tokens of ``user`` (only those made in verified sessions with ``verified_only``).

    Called inside the caller's transaction (a device reset: the second factor behind them is gone)."""
    now = timezone.now()
    rows = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if verified_only:
        rows = rows.filter(created_in_verified_session=True)
    ids = list(rows.values_list("pk", flat=True))
    ApiToken.objects.filter(pk__in=ids).update(revoked_at=now, revoked_by=actor.record_user)
    for pk in ids:
        record("token_revoke", model="audit.apitoken", object_id=pk, actor=actor.record_user, note=note)
    return len(ids)


def token_touch(token: ApiToken) -> None:
    """Record that the token was used, at most once per TOUCH_INTERVAL (one conditional UPDATE)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
