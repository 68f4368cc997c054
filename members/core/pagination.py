"""API pagination that refuses bad input with a 400 instead of guessing.

DRF answers a cursor it cannot decode with 404 (as if the list were missing) and silently replaces a
``page_size`` of -1, 0 or "abc" with the default; a page size above the maximum is clamped. Here a bad
cursor or page size is the client's mistake, answered 400 in the one error shape with the field named,
and the schema states the accepted range (1 to ``max_page_size``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request

from .middleware import has_unstorable


def _page_size(paginator: Any, request: Request) -> int:
    raw = request.query_params.get(paginator.page_size_query_param) if paginator.page_size_query_param else None
    if raw is None or raw == "":
        return int(paginator.page_size)
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= paginator.max_page_size:
        raise ValidationError({paginator.page_size_query_param: [
            _("每页条数应为 1 到 %(max)s 之间的整数。") % {"max": paginator.max_page_size}]})
    return size


def _with_page_size_range(paginator: Any, parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for parameter in parameters:
        if parameter["name"] == paginator.page_size_query_param:
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": paginator.max_page_size}
    return parameters


class StrictCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        return _page_size(self, request)

    def decode_cursor(self, request: Request) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise self._invalid() from exc
        if cursor is not None and has_unstorable(cursor.position):
            # The token is base64, so the middleware never saw the NUL inside it: PostgreSQL would fail.
            raise self._invalid()
        return cursor

    def _invalid(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: [_("翻页位置无效，请从列表第一页重新开始。")]})

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = _with_page_size_range(self, super().get_schema_operation_parameters(view))
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:  # only what a page's next/previous link gave
                parameter["schema"] = {"type": "string", "format": "cursor"}
        return parameters


class StrictPageNumberPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        return _page_size(self, request)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = _with_page_size_range(self, super().get_schema_operation_parameters(view))
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
