"""The API token row. Only a SHA-256 of the token is kept; the plaintext is shown once at creation.

A token is ``rgt_<prefix>_<secret>``: the 8-character prefix is stored in clear to find the row with
one indexed look-up (and to let an owner recognise a token in a list); the secret has 256 bits of
randomness, so a plain SHA-256 (no slow hash) is enough to make a stolen database useless.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_TAG = "rgt"  # noqa: S105 - the visible tag of every token, not a secret


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def new_plaintext() -> tuple[str, str]:
    """A fresh token and its visible prefix."""
    prefix = secrets.token_hex(4)
    return f"{TOKEN_TAG}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def split_prefix(plaintext: str) -> str | None:
    """The prefix of a well-formed token, or None (then no row is looked up at all)."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_TAG or len(parts[1]) != 8:
        return None
    return parts[1]


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    WRITE = "write", _("读写")


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("所有人"))
    name = models.CharField(_("名称"), max_length=100)
    scope = models.CharField(_("权限范围"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(_("前缀"), max_length=8, unique=True)
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("撤销人"))
    # Staff powers need a token made after a real second-factor step (see grants_staff).
    created_in_verified_session = models.BooleanField(_("在双重认证会话中创建"), default=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="audit_apitoken_expires_after_creation"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_TAG}_{self.prefix}_…)"

    @property
    def masked(self) -> str:
        return f"{TOKEN_TAG}_{self.prefix}_…"

    def is_expired(self, now: Any = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired()

    @property
    def writable(self) -> bool:
        """The token may be used for requests that change something (scope only; the policy decides the rest)."""
        return self.scope == TokenScope.WRITE

    @property
    def grants_staff(self) -> bool:
        """Staff powers through this token: made in a second-factor-verified session, usable, write scope,
        and its owner still an active staff member."""
        user = self.user
        return (self.created_in_verified_session and self.is_usable and self.writable
                and bool(user.is_active and user.is_staff))


def default_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)


def max_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_MAX_DAYS)
