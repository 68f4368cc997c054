"""Everything the register holds about one organisation, for a data-subject request (PIPL Art 45).

Generic: every model that points at the organisation (documents, applications, complaints after the
merge, ...) and every model that points at those rows (their event logs), two levels deep. Files are
listed with their hash, not embedded. Account passwords and secrets are never included.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile

from members.models import Organisation

SECRET_FIELDS = {"password", "token", "key"}
SKIPPED_MODELS = {"audit.auditentry"}
# Other people's data in rows about the organisation (a reporter's identity, a complaint's tracking
# code) is never handed to the organisation.
THIRD_PARTY_NAME = re.compile(r"(^|_)(reporter|complainant|tracking|password|token|key|secret)(_|$)")


class Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, FieldFile):
            return o.name or ""
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _row(obj: models.Model) -> dict[str, Any]:
    return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields
            if f.name not in SECRET_FIELDS and not THIRD_PARTY_NAME.search(f.name)}


def _related(obj: models.Model, depth: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for rel in obj._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            model = rel.related_model
            assert isinstance(model, type)
            label = model._meta.label_lower
            if label in SKIPPED_MODELS:
                continue
            rows = []
            for child in model._base_manager.filter(**{rel.field.name: obj}).order_by("pk"):
                row = _row(child)
                if depth > 1:
                    nested = _related(child, depth - 1)
                    if nested:
                        row["_related"] = nested
                rows.append(row)
            if rows:
                out.setdefault(label, []).extend(rows)
    return out


def _accounts(org: Organisation) -> list[dict[str, Any]]:
    return [
        {"email": rep.user.email, "username": rep.user.get_username(), "is_primary": rep.is_primary,
         "date_joined": rep.user.date_joined, "last_login": rep.user.last_login}
        for rep in org.representatives.select_related("user")
    ]


def organisation_data(org: Organisation) -> dict[str, Any]:
    return {"organisation": _row(org), "accounts": _accounts(org), "related": _related(org, depth=2)}
