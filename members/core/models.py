"""Abstract base models every app builds on: rows written once, and the shape of a case's event log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise TypeError(f"{self.model.__name__} rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{type(self).__name__} rows are append-only")


class CaseEventBase(AppendOnlyModel):
    """One row of a case's history. ``comment`` is free text, or the default-language text of the coded
    message ``comment_code`` with ``comment_params`` (members.core.texts), shown in the reader's language."""

    # Set by each concrete model: its states (TextChoices) and the labels of its actions.
    states: Any = None
    action_labels: Mapping[str, Any] = {}

    from_state = models.CharField(_("原状态"), max_length=16, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16)
    action = models.CharField(_("操作"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)
    comment_code = models.CharField(_("说明代码"), max_length=64, blank=True)
    comment_params = models.JSONField(_("说明参数"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        from .localtime import local_time

        return f"{self.action_label} · {local_time(self.at)}"

    def _state_label(self, value: str) -> str:
        if not value:
            return ""
        labels = dict(self.states.choices) if self.states is not None else {}
        return str(labels.get(value, value))

    @property
    def from_state_label(self) -> str:
        return self._state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        return self._state_label(self.to_state)

    @property
    def action_label(self) -> str:
        return str(self.action_labels.get(self.action, self.action))

    @property
    def comment_text(self) -> str:
        from .texts import shown

        return shown(self.comment_code, self.comment_params, self.comment)
