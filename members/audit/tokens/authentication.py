"""DRF authentication by personal API token: ``Authorization: Bearer rgt_<prefix>_<secret>``.

On success ``request.user`` is the owner and ``request.auth`` the token row. The owner's staff powers
count only when ``token.grants_staff`` (see members.audit.twofactor.guard); a read-only token is refused
for any request that could change something, before the view runs. The request is attributed to the
owner and the token in the audit context, so every audit entry written by it names both.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from members.audit import context
from members.audit.twofactor.guard import restrict_unless_verified

from .models import ApiToken, hash_token, split_prefix
from .services import token_touch

KEYWORDS = (b"bearer", b"token")


class TokenInvalid(exceptions.AuthenticationFailed):
    default_detail = _("API 令牌无效。")
    default_code = "token_invalid"


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("API 令牌已过期，请重新签发。")
    default_code = "token_expired"


class TokenRevoked(exceptions.AuthenticationFailed):
    default_detail = _("API 令牌已被撤销。")
    default_code = "token_revoked"


class TokenReadOnly(exceptions.PermissionDenied):
    default_detail = _("该 API 令牌为只读，不能用于修改数据。")
    default_code = "token_read_only"


def _lookup(plaintext: str) -> ApiToken:
    prefix = split_prefix(plaintext)
    token = (ApiToken.objects.select_related("user").filter(prefix=prefix).first()
             if prefix is not None else None)
    # Compare the hashes in constant time; an unknown prefix and a wrong secret give the same answer.
    if token is None or not hmac.compare_digest(token.key_hash, hash_token(plaintext)):
        raise TokenInvalid()
    if token.is_revoked:
        raise TokenRevoked()
    if token.is_expired():
        raise TokenExpired()
    if not token.user.is_active:
        raise TokenInvalid()
    return token


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise TokenInvalid()
        try:
            plaintext = parts[1].decode()
        except UnicodeError as exc:
            raise TokenInvalid() from exc
        token = _lookup(plaintext)
        user: Any = token.user
        grants = token.grants_staff
        user.is_verified = lambda: grants
        user.otp_device = None
        restrict_unless_verified(user)
        token_touch(token)
        # The Django request carries the token too: the audit middleware records writes made with it
        # (refused ones included, such as a write attempted with a read-only token).
        request._request.api_token = token  # type: ignore[attr-defined]
        context.attribute(user=user, token_id=token.pk)
        if request.method not in SAFE_METHODS and not token.writable:
            raise TokenReadOnly()
        return user, token

    def authenticate_header(self, request: Request) -> str:
        # A 401 (not 403) with a challenge, so clients know to send a token.
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's security scheme for this authentication (drf-spectacular)."""

    target_class = "members.audit.tokens.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http", "scheme": "bearer", "bearerFormat": "rgt_<prefix>_<secret>",
            "description": "Personal API token. Issue one in the portal (API 令牌) or with POST /api/v1/tokens/ "
                           "from a signed-in session; send it as `Authorization: Bearer <token>`. Read tokens "
                           "cannot write; staff powers need a write token made in a second-factor session.",
        }
