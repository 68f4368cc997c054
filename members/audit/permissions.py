"""Who may issue and revoke API tokens and reset second-factor devices: the audit app's share of the policy.

Registered into the one policy table (``members.core.policy``) when the app is ready.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from members.core.policy import SIGNED_IN, Actor, Permission, Rule, allow, staff


def _in_session(actor: Actor, obj: Any) -> bool:
    return SIGNED_IN.allows(actor, obj) and actor.token_id is None


def _token_owner(actor: Actor, token: Any) -> bool:
    return actor.is_authenticated and token is not None and token.user_id == actor.user.pk


def _another_account_by_verified_superuser(actor: Actor, target: Any) -> bool:
    return bool(actor.staff_verified and actor.is_authenticated and actor.token_id is None
                and actor.user.is_superuser and target is not None and target.pk != actor.user.pk)


SESSION = Rule("a signed-in account, in a session (a token never begets a token)", _in_session)
TOKEN_OWNER = Rule("the token's owner", _token_owner)
SUPERUSER_FOR_ANOTHER = Rule("a superuser verified with the second factor, for another account (never its own)",
                             _another_account_by_verified_superuser)

RULES: dict[str, Permission] = {
    "token.issue": allow(SESSION, message=_("只能在登录会话中签发 API 令牌，不能用令牌签发令牌。"),
                         code="token_from_session"),
    # A refusal reads as "no such token" (the service answers 404): token ids are not revealed.
    "token.revoke": allow(TOKEN_OWNER, staff("audit.change_apitoken")),
    # A superuser locked out of the second factor asks a colleague.
    "twofactor.reset": allow(SUPERUSER_FOR_ANOTHER,
                             message=_("只有通过双重认证的超级管理员才能重置其他工作人员的验证设备。"),
                             code="reset_not_allowed"),
}
