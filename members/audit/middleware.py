"""Request-wide audit context, and a clean answer when the database goes away mid-request."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from members.core.client_address import client_ip

from . import context

log = logging.getLogger("members.audit")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        source = "admin" if request.path.startswith("/admin/") else "web"
        with context.acting(user=getattr(request, "user", None), source=source, request_id=request_id,
                            ip=client_ip(request)):
            response = self.get_response(request)
            _record_token_write(request, response)
        response["X-Request-ID"] = request_id
        return response


def _record_token_write(request: HttpRequest, response: HttpResponse) -> None:
    """A request that could change something, made with an API token, is itself an audit entry
    (method, path, answer), whether or not it was allowed: a token's writes can be traced."""
    token = getattr(request, "api_token", None)
    if token is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    from .recorder import record

    record("token_use", model="audit.apitoken", object_id=token.pk, actor=token.user, source="api",
           note=f"{request.method} {request.path} -> {response.status_code}")


class DatabaseUnavailableMiddleware:
    """A lost database connection becomes a 503 page that asks to try again, with nothing half-written.

    Each service is one transaction, so the failed request has written nothing; the page is rendered
    without touching the database (no session, no user).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError) or not isinstance(exception, DatabaseError):
            return None
        log.error("database unavailable", exc_info=exception, extra={"path": request.path})
        if request.path.startswith("/api/"):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            from members.core.api_errors import error_body

            response: HttpResponse = JsonResponse(error_body(
                "unavailable", _("系统暂时无法访问数据库，您的操作没有被保存，也没有保存一半。请稍后重试。")), status=503)
        else:
            response = HttpResponse(render_to_string("audit/503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
