"""The generic audit mechanism: every save and delete of a model in settings.AUDITED_APP_LABELS.

Covers the admin, services, commands and tasks alike; models added by other apps are covered by
their app label without any registration. Bulk ``QuerySet.update`` bypasses signals: the services
that use it also append an event row, which is itself audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from .recorder import record, snapshot

# Bookkeeping that changes on every login or code check: a change of only these is not recorded.
IGNORED_FIELDS = {"last_login", "updated_at", "last_t", "last_used_at", "throttling_failure_timestamp",
                  "throttling_failure_count"}


def is_audited(sender: type[models.Model]) -> bool:
    opts = sender._meta
    if opts.label_lower in set(settings.AUDIT_IGNORED_MODELS):
        return False
    return opts.app_label in set(settings.AUDITED_APP_LABELS)


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not is_audited(sender):
        return
    previous = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        previous = snapshot(old) if old is not None else None
    instance._audit_before = previous  # type: ignore[attr-defined]


def _after_save(sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False,
                **kwargs: Any) -> None:
    if raw or not is_audited(sender):
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if not created and before is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        if not changed - IGNORED_FIELDS:
            return
    action = "create" if created or before is None else "update"
    record(action, model=sender._meta.label_lower, object_id=instance.pk, before=None if created else before,
           after=after)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not is_audited(sender):
        return
    record("delete", model=sender._meta.label_lower, object_id=instance.pk, before=snapshot(instance))


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="audit.pre_save")
    post_save.connect(_after_save, dispatch_uid="audit.post_save")
    post_delete.connect(_after_delete, dispatch_uid="audit.post_delete")
