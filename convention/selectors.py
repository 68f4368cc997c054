"""Reads of the convention's versions."""

from __future__ import annotations

from django.db.models import Q

from members import clock

from .models import ConventionVersion


def current_version() -> ConventionVersion | None:
    """The newest version in force today; version 1 counts as in force until another takes effect."""
    today = clock.today()
    return (
        ConventionVersion.objects.filter(Q(effective_date__lte=today) | Q(number=1))
        .order_by("-number").first()
    )
