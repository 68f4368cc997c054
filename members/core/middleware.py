"""Refuse input that PostgreSQL cannot store before any view, form or query sees it.

PostgreSQL's text types cannot hold NUL (U+0000), and a string with a lone surrogate (U+D800–U+DFFF)
cannot even be encoded to UTF-8 for the query: either one turns a harmless look-up into a 500. Such
characters have no legitimate use in this registry, so a request carrying one anywhere (path, query
string, cookies, form fields, uploaded file names, JSON body) gets a localised 400: the one error shape
as JSON under ``/api/``, a small HTML page elsewhere. SQLite would store them; refusing them on every
database keeps the two backends alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .api_errors import error_body

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def has_unstorable(value: Any) -> bool:
    """True when a string, or any string inside lists and dicts (keys too), holds NUL or a lone surrogate."""
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(has_unstorable(k) or has_unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_unstorable(v) for v in value)
    return False


def _any(values: Iterable[Any]) -> bool:
    return any(has_unstorable(v) for v in values)


def _json_body(request: HttpRequest) -> Any:
    if not request.content_type or not request.content_type.endswith("json") or not request.body:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None  # not JSON at all: the view's parser answers that with its own 400


def request_has_unstorable(request: HttpRequest) -> bool:
    if has_unstorable(request.path) or has_unstorable(request.META.get("QUERY_STRING", "")):
        return True
    if _any(request.GET.lists()) or _any(request.COOKIES.items()):
        return True
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                if _any(request.POST.lists()) or any(has_unstorable(getattr(f, "name", "")) for f in request.FILES.values()):
                    return True
            except MultiPartParserError:
                return False  # a broken upload is the form's business (Django answers 400 itself)
        elif has_unstorable(_json_body(request)):
            return True
    return False


def unstorable_response(request: HttpRequest) -> HttpResponse:
    message = _("请求中含有无法处理的字符（如空字符），请删除后重试。")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("invalid_characters", message), status=400)
    return HttpResponse(render_to_string("members/400.html", {"message": message}), status=400)


class RejectUnstorableInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_unstorable(request):
            # Runs before LocaleMiddleware: answer in the language the client asked for.
            with translation.override(translation.get_language_from_request(request)):
                return unstorable_response(request)
        return self.get_response(request)


class ApiMethodNotAllowedMiddleware:
    """An API view answers 405 (with Allow) to a method it does not implement, before authentication or a
    permission check could answer 401, 403 or 404 for it: a method is wrong whoever calls it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        cls = getattr(view_func, "cls", None)
        if cls is None or not request.path.startswith("/api/"):
            return None
        allowed = [m.upper() for m in cls.http_method_names if hasattr(cls, m)]
        if "GET" in allowed and "HEAD" not in allowed:
            allowed.append("HEAD")  # Django's View answers HEAD with its GET
        if request.method in allowed:
            return None
        response = JsonResponse(error_body("method_not_allowed", _("不支持该请求方法。")), status=405)
        response["Allow"] = ", ".join(allowed)
        return response
