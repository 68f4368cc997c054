"""Template filters that show stored labels in the reader's language (members.core.labels)."""

from __future__ import annotations

from typing import Any

from django import template

from members.core import localtime
from members.core.labels import legal_basis_display
from members.core.people import display_name

register = template.Library()


@register.filter
def legal_basis(value: str) -> str:
    return legal_basis_display(value or "")


@register.filter
def local_time(value: Any, fmt: str = "") -> str:
    """``{{ e.at|local_time }}``: the time in Asia/Shanghai with the zone named, in the reader's language."""
    if not value:
        return ""
    return localtime.local_time(value, fmt or localtime.FORMAT)


@register.filter
def person(user: Any) -> str:
    """``{{ user|person }}``: a staff account's full name where one is set (members.core.people)."""
    return display_name(user)
