"""Writing audit entries: the generic snapshot of a model row and the explicit ``record`` call."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile

from . import context
from .masking import mask
from .models import AuditEntry


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, FieldFile):
            return o.name or ""
        if isinstance(o, bytes | memoryview):
            return f"<{len(o)} bytes>"
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's concrete field values as JSON-safe data (foreign keys by id)."""
    data = {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields}
    return json.loads(json.dumps(data, cls=_Encoder))


def record(action: str, *, model: str, object_id: Any, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, actor: Any = None, note: str = "",
           source: str = "") -> AuditEntry:
    """Append one audit entry. ``before``/``after`` are masked here, so callers may pass raw values.

    Services call this for changes that no model save shows (bulk updates, decisions); the signal
    handlers call it for every save and delete of an audited model.
    """
    ctx = context.current()
    user = actor if actor is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    before_m = mask(model, before)
    after_m = mask(model, after)
    keys = set(before_m or {}) | set(after_m or {})
    changed = sorted(k for k in keys if (before_m or {}).get(k) != (after_m or {}).get(k))
    return AuditEntry.objects.create(
        actor_id=getattr(user, "pk", None), actor_name=(user.get_username() if user is not None else "")[:150],
        actor_is_staff=bool(getattr(user, "is_staff", False)), action=action, model=model,
        object_id=str(object_id), before=before_m, after=after_m, changed=changed,
        source=source or ctx.source, request_id=ctx.request_id, ip=ctx.ip, note=note,
        token_id=ctx.token_id,
    )
