"""Template filters that show stored labels in the reader's language (members.core.labels)."""

from __future__ import annotations

from django import template

from members.core.labels import legal_basis_display

register = template.Library()


@register.filter
def legal_basis(value: str) -> str:
    return legal_basis_display(value or "")
