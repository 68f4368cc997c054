"""Portal reads, all scoped to one organisation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from members.models import APPLICATION_OPEN_STATES, Invitation, JoinApplication, Organisation, WithdrawalState
from members.selectors import scheduled_end


def dashboard_context(org: Organisation) -> dict[str, Any]:
    applications = list(org.applications.order_by("-created_at", "-id"))
    current = next((a for a in applications if a.state in APPLICATION_OPEN_STATES), None)
    membership = org.memberships.filter(ended_on__isnull=True).first()
    return {
        "organisation": org,
        "current_application": current,
        "applications": applications,
        "membership": membership,
        "scheduled_end": scheduled_end(org),  # an acknowledged withdrawal dated later: shown with its day
        "memberships": org.memberships.order_by("-started_on", "-id"),
        "history": org.events.order_by("-effective_date", "-id"),
        "pending_withdrawal": org.withdrawals.filter(state=WithdrawalState.FILED).first(),
        "withdrawals": org.withdrawals.order_by("-filed_at", "-id")[:10],
        "notifications": org.notifications.order_by("-created_at", "-id")[:10],
    }


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def open_application(org: Organisation) -> JoinApplication | None:
    return org.applications.filter(state__in=APPLICATION_OPEN_STATES).first()


def event_rows(events: Iterable[Any]) -> list[tuple[Any, str, str]]:
    """(time, move, new state) of each case event, as labels; comments stay with staff."""
    return [(ev.at, ev.action_label, ev.to_state_label) for ev in events]
