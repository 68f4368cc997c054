"""drf-spectacular: every operation documents each error status it can really answer, and every input
says what the API accepts.

The answers come from the machinery every API view shares, so they are derived from the view, not typed
by hand on each one:
- 400: any request (NUL or a lone surrogate anywhere is refused by members.core.middleware; invalid
  query parameters, bodies, cursors and page sizes by the views);
- 401: the view accepts token authentication (a wrong, expired or revoked token);
- 403: the view restricts who may call it, or the method writes (CSRF for session clients);
- 404: the path names an object, the caller's own organisation is looked up, or the list is paged by number;
- 409: the method writes (a transition the current state does not allow, a lost race);
- 415: the method takes a body, and its media type is not one the view parses;
- 429: the view is throttled;
- 503: the database is unavailable (members.audit.middleware answers in the same shape).
All in the one error shape, ``{"error": {"code", "message", "fields"}}``.

Inputs (``RegistryAutoSchema``): a required text field is trimmed and must not be blank, so its request
schema says it holds a non-space character (``minLength`` alone would allow "  "), a list that may not be
empty says ``minItems: 1``; request components
are split from response ones (COMPONENT_SPLIT_REQUEST) so files are binary uploads, not URLs.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

NOT_BLANK = r"\S"  # DRF trims a CharField and refuses what is left empty


class RegistryAutoSchema(AutoSchema):
    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (direction == "request" and isinstance(schema, dict) and schema.get("type") == "string"
                and isinstance(field, serializers.CharField) and not field.allow_blank and field.trim_whitespace
                and not {"pattern", "format", "enum"} & schema.keys()
                and not any(hasattr(v, "regex") for v in field.validators)):  # its own pattern comes later
            schema["pattern"] = NOT_BLANK
        if (direction == "request" and isinstance(schema, dict) and schema.get("type") == "array"
                and getattr(field, "allow_empty", True) is False):
            schema.setdefault("minItems", 1)  # DRF refuses an empty list here ("allow_empty=False")
        return schema

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        },
    },
}
DESCRIPTIONS = {
    "400": "Invalid input (parameters, body, cursor, page size, or characters that cannot be stored).",
    "401": "The token is missing the right credentials: unknown, expired or revoked.",
    "403": "The caller may not do this.",
    "404": "No such object.",
    "409": "The current state does not allow this (or another request changed it first).",
    "415": "The request body's media type is not accepted by this operation.",
    "429": "Too many requests.",
    "503": "The database is unavailable; nothing was written. Retry later.",
}


def _statuses(view: Any, method: str, path: str) -> list[str]:
    statuses = ["400"]
    if any(getattr(auth, "authenticate_header", None) and auth().authenticate_header(None)
           for auth in getattr(view, "authentication_classes", [])):
        statuses.append("401")
    permissions = getattr(view, "permission_classes", [])
    if method not in ("GET", "HEAD", "OPTIONS") or any(p is not AllowAny for p in permissions):
        statuses.append("403")
    restricted = any(p is not AllowAny for p in permissions)
    paginator = getattr(view, "pagination_class", None)
    # 404 also where the caller's own organisation (or case) is looked up and they have none.
    if "{" in path or restricted or (paginator is not None and issubclass(paginator, PageNumberPagination)):
        statuses.append("404")
    if method not in ("GET", "HEAD", "OPTIONS"):
        statuses.append("409")  # a state change the current state does not allow, or a race lost
        statuses.append("415")  # DRF's parsers refuse a body whose Content-Type none of them reads
    if getattr(view, "throttle_classes", None):
        statuses.append("429")
    statuses.append("503")
    return statuses


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def document_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    # The schema renames path parameters (pk becomes id): match paths with their parameters blanked.
    views = {(_shape(path), method.upper()): callback.cls for path, _regex, method, callback in generator.endpoints}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view = views.get((_shape(path), method.upper()))
            if view is None or not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in _statuses(view, method.upper(), path):
                operation["responses"].setdefault(status, {"description": DESCRIPTIONS[status], "content": error})
    return result
