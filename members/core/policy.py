"""Who may do what: one door for every power in the registry.

Every state-changing service, and every selector that returns private data, calls
``authorize(actor, action, obj)`` before it reads or touches a row. The rules live in one table,
``TABLE``: each app declares its own actions in its ``permissions.py`` and registers them when it is
ready (the base never imports the apps built on it), so the table is complete once Django has started.

The rules (DESIGN.md "Who may act"):
- staff powers only in a session verified with the second factor (superusers included) or through a
  token that grants staff power (created in such a session, unexpired, write scope): a plain
  ``is_staff`` / ``is_superuser`` account signed in with its password alone has none of them;
- a representative acts only for its own organisation;
- the public reads and reports;
- read-only tokens never write;
- scheduled jobs and commands act as the executive body (``SYSTEM``), never as a member.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import PermissionDenied

# --- Who is acting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The account (or job) on whose behalf a service runs, and with what standing.

    ``staff_verified`` is True only for a session verified with the second factor or a token whose
    ``grants_staff`` is True; ``writable`` is False for read-only tokens; ``system`` marks scheduled
    jobs and commands acting as the executive body. ``grants`` are actions that an already authorised
    action implies (declared in the table, e.g. approving an application starts the membership).
    """

    user: Any = None
    staff_verified: bool = False
    token_id: int | None = None
    writable: bool = True
    system: bool = False
    request_id: str = ""
    address: str | None = None
    grants: frozenset[str] = field(default=frozenset())

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and getattr(self.user, "is_authenticated", False)
                    and getattr(self.user, "is_active", True))

    @property
    def record_user(self) -> Any:
        """The user to store in ``actor``/``*_by`` columns (None for jobs and anonymous visitors)."""
        return self.user if self.is_authenticated else None

    @property
    def organisation(self) -> Any:
        """The organisation this account represents, or None (jobs never act as a member)."""
        if self.system or not self.is_authenticated:
            return None
        rep = getattr(self.user, "representative", None)
        return rep.organisation if rep is not None else None

    @property
    def organisation_id(self) -> int | None:
        if self.system or not self.is_authenticated:
            return None
        rep = getattr(self.user, "representative", None)
        return rep.organisation_id if rep is not None else None

    def has_staff_perm(self, perm: str) -> bool:
        """The Django permission, counted only with staff standing (second factor or staff token)."""
        if self.system:
            return True
        user = self.user
        if not (self.staff_verified and self.is_authenticated and getattr(user, "is_staff", False)):
            return False
        return bool(user.has_perm(perm))

    def granting(self, actions: Iterable[str]) -> Actor:
        return dataclasses.replace(self, grants=self.grants | frozenset(actions))


SYSTEM = Actor(system=True)
ANONYMOUS = Actor()


def actor_for(user: Any, *, staff_verified: bool = False) -> Actor:
    """An actor for a user outside a request (shell, tests, commands acting for a named account)."""
    return Actor(user=user, staff_verified=staff_verified)


def actor_from_request(request: Any) -> Actor:
    """The one actor helper for the admin, the portal and the API.

    A token request (DRF sets ``request.auth``) has staff standing only if the token says so
    (``grants_staff``) and writes only if it has the write scope (``writable``); DRF's legacy
    ``Token`` has neither. A session has staff standing only once django-otp verified it.
    """
    user = getattr(request, "user", None)
    auth = getattr(request, "auth", None)
    request_id = str(getattr(request, "request_id", "") or "")
    address = getattr(request, "META", {}).get("REMOTE_ADDR") or None
    if auth is not None:
        return Actor(user=user, staff_verified=bool(getattr(auth, "grants_staff", False)),
                     token_id=getattr(auth, "pk", None), writable=bool(getattr(auth, "writable", False)),
                     request_id=request_id, address=address)
    is_verified = getattr(user, "is_verified", None)
    verified = bool(callable(is_verified) and is_verified())
    return Actor(user=user, staff_verified=verified, request_id=request_id, address=address)


# --- Rules -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One way to be allowed; ``label`` is what the policy table prints."""

    label: str
    test: Callable[[Actor, Any], bool]

    def allows(self, actor: Actor, obj: Any) -> bool:
        return self.test(actor, obj)


PUBLIC = Rule("public", lambda actor, obj: True)
SIGNED_IN = Rule("any signed-in account", lambda actor, obj: not actor.system and actor.is_authenticated)
REPRESENTATIVE = Rule("a representative (of any organisation)", lambda actor, obj: actor.organisation_id is not None)
JOBS = Rule("scheduled jobs / commands (SYSTEM)", lambda actor, obj: actor.system)


def staff(perm: str) -> Rule:
    """Staff with the Django permission ``perm`` and the second factor (or a staff token); jobs too."""
    return Rule(f"staff with {perm} + second factor", lambda actor, obj: actor.has_staff_perm(perm))


def own(attr: str = "organisation_id") -> Rule:
    """A representative of the object's own organisation (``getattr(obj, attr)``)."""

    def test(actor: Actor, obj: Any) -> bool:
        org_id = actor.organisation_id
        return org_id is not None and obj is not None and getattr(obj, attr, None) == org_id

    return Rule(f"representative of its own organisation ({attr})", test)


@dataclass(frozen=True)
class Permission:
    """Who may perform one action: any of ``rules``; ``grants`` are the actions it implies."""

    rules: tuple[Rule, ...]
    read: bool = False
    grants: tuple[str, ...] = ()
    message: str | Promise | None = None
    code: str | None = None


def allow(*rules: Rule, read: bool = False, grants: Iterable[str] = (),
          message: str | Promise | None = None, code: str | None = None) -> Permission:
    """The entry of one action: any of ``rules``; the refusal says ``message`` (with ``code``)."""
    return Permission(tuple(rules), read=read, grants=tuple(grants), message=message, code=code)


# --- The table ---------------------------------------------------------------------------------------

TABLE: dict[str, Permission] = {}


def register(rules: Mapping[str, Permission]) -> None:
    """Add an app's actions to the table (called from its AppConfig.ready). An action is declared once."""
    for action, permission in rules.items():
        if action in TABLE and TABLE[action] is not permission:
            raise ValueError(f"policy action {action!r} declared twice")
        TABLE[action] = permission


def _permission(action: str) -> Permission:
    try:
        return TABLE[action]
    except KeyError:  # a programming error: every action must be declared
        raise LookupError(f"policy action {action!r} is not declared in any app's permissions.py") from None


DENIED = _("您没有执行此操作的权限。")
READ_ONLY = _("该令牌为只读令牌，不能执行此操作。")


def allows(actor: Actor, action: str, obj: Any = None) -> bool:
    """True if ``actor`` may perform ``action`` on ``obj`` (what the admin and portal show as buttons)."""
    permission = _permission(action)
    if not permission.read and not actor.writable:
        return False
    if action in actor.grants:
        return True
    return any(rule.allows(actor, obj) for rule in permission.rules)


def authorize(actor: Actor, action: str, obj: Any = None) -> Actor:
    """Refuse with a localised ``PermissionDenied`` unless ``actor`` may perform ``action`` on ``obj``.

    Returns the actor extended with the actions this one implies (``grants`` in the table), to be
    passed to the services it calls in turn.
    """
    permission = _permission(action)
    if not permission.read and not actor.writable:
        raise PermissionDenied(READ_ONLY, code="token_read_only")
    if not allows(actor, action, obj):
        raise PermissionDenied(permission.message or DENIED, code=permission.code)
    return actor.granting(permission.grants) if permission.grants else actor


def table_rows() -> list[tuple[str, str, str]]:
    """(action, who, implies) for every declared action, sorted: the policy table as documentation."""
    return [(action, " | ".join(r.label for r in p.rules) + (" (read)" if p.read else ""), ", ".join(p.grants))
            for action, p in sorted(TABLE.items())]
