"""The one transition mechanism every state machine of the registry uses.

A ``Machine`` names a model's transition table (``action -> {from state: to state}``), its event
model and the policy prefix of its actions. ``move`` is the only place a state changes:

1. look the move up in the table (refused with the current state in the message);
2. authorise it through the policy (``<machine>.<action>``);
3. write the new state (and the caller's other fields) on the locked row;
4. append the event row (who, when, from, to, comment).

Notifications are queued by the services with ``members.services.notify``, whose e-mail leaves only
after commit (``transaction.on_commit`` through the outbox). Rows are locked by the caller
(``select_for_update``) before ``move``: call it inside the service's transaction.

``conditional_move`` is the same move as one conditional UPDATE, for claims that workers race for
(publication claim/reclaim/fail/publish). ``allowed_moves`` is what the admin and portal show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import clock, policy, texts
from .errors import TransitionNotAllowed

Comment = str | texts.Text


@dataclass(frozen=True)
class Machine:
    name: str  # the policy prefix: "application" -> "application.approve"
    table: Mapping[str, Mapping[str, str]]
    event_model: type[Model] | None = None
    link: str = ""  # the event model's foreign key to the object
    refused: str | Promise = _("当前状态为“%(state)s”，不能执行该操作。")

    def action(self, name: str) -> str:
        return f"{self.name}.{name}"

    def target(self, obj: Any, action: str) -> str:
        """The state ``action`` leads to from ``obj``'s state, or ``TransitionNotAllowed``."""
        allowed = self.table[action]
        if obj.state not in allowed:
            raise TransitionNotAllowed(self.refused % {"state": obj.get_state_display()},
                                       params={"state": obj.state, "action": action})
        return allowed[obj.state]


def move(actor: policy.Actor, machine: Machine, obj: Any, action: str, *, comment: Comment = "",
         fields: Mapping[str, Any] | None = None, save: bool = True) -> policy.Actor:
    """Move ``obj`` by ``action``; returns the actor with the grants of the action (for its consequences).

    Precondition: ``obj`` was read with ``select_for_update`` in the current transaction.
    """
    actor = policy.authorize(actor, machine.action(action), obj)
    before = obj.state
    obj.state = machine.target(obj, action)
    for name, value in (fields or {}).items():
        setattr(obj, name, value)
    if save:
        obj.save(update_fields=["state", *(fields or {})])
    record(actor, machine, obj, action, comment=comment, from_state=before)
    return actor


def record(actor: policy.Actor, machine: Machine, obj: Any, action: str, *, comment: Comment = "",
           from_state: str | None = None) -> Any:
    """Append an event row; without ``from_state`` the row records an act that keeps the state (a note).

    ``comment`` is free text as typed, or a coded ``Text`` stored as its code and parameters.
    """
    if machine.event_model is None:
        return None
    code, params, stored = texts.split(comment)
    return machine.event_model._default_manager.create(
        **{machine.link: obj}, from_state=obj.state if from_state is None else from_state, to_state=obj.state,
        action=action, actor=actor.record_user, at=clock.now(), comment=stored, comment_code=code,
        comment_params=params,
    )


def record_creation(actor: policy.Actor, machine: Machine, obj: Any, action: str, *,
                    comment: Comment = "") -> Any:
    """The first event row of a new object (no previous state)."""
    return record(actor, machine, obj, action, comment=comment, from_state="")


def conditional_move(actor: policy.Actor, machine: Machine, action: str, queryset: QuerySet[Any],
                     **updates: Any) -> int:
    """``action`` as one conditional UPDATE on the rows of ``queryset`` in one of its from-states.

    For moves that concurrent workers race for: exactly one UPDATE wins. Every from-state of the action
    must lead to the same state. Returns the number of rows moved.
    """
    policy.authorize(actor, machine.action(action))
    targets = set(machine.table[action].values())
    if len(targets) != 1:
        raise ValueError(f"{machine.action(action)} has more than one target state")
    return queryset.filter(state__in=list(machine.table[action])).update(state=targets.pop(), **updates)


def allowed_moves(actor: policy.Actor, machine: Machine, obj: Any) -> list[str]:
    """The moves of the table that ``obj``'s state allows and ``actor`` may perform (the buttons to show)."""
    return [action for action, allowed in machine.table.items()
            if obj.state in allowed and policy.allows(actor, machine.action(action), obj)]
