"""Admin building blocks shared by every app's admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .localtime import local_time
from .people import display_name


class ReadOnlyMixin:
    """Records that the admin shows but never adds, changes or deletes (they change through services)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseHistoryInlineMixin:
    """A case's event rows as people read them: local time with its zone, labels for the move and the
    states (not codes), and the comment in the reader's language."""

    history_fields = ("when", "move", "from_label", "to_label", "by", "comment_shown")

    @admin.display(description=_("时间"))
    def when(self, obj: Any) -> str:
        return local_time(obj.at)

    @admin.display(description=_("操作"))
    def move(self, obj: Any) -> str:
        return obj.action_label

    @admin.display(description=_("原状态"))
    def from_label(self, obj: Any) -> str:
        return obj.from_state_label or "—"

    @admin.display(description=_("新状态"))
    def to_label(self, obj: Any) -> str:
        return obj.to_state_label

    @admin.display(description=_("操作人"))
    def by(self, obj: Any) -> str:
        return display_name(obj.actor) or "—"

    @admin.display(description=_("说明"))
    def comment_shown(self, obj: Any) -> str:
        return obj.comment_text
