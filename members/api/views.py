"""The register's API: public reads of organisations and staff actions on applications and withdrawals.

Reads use the same FilterSet and selectors as the public page; writes call ``members.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.vary import vary_on_headers
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members import selectors, services
from members.core import clock
from members.core.pagination import StrictCursorPagination
from members.core.policy import actor_from_request
from members.details.selectors import corrected_details_on
from members.filters import OrganisationFilter, sort_from_params
from members.models import JoinApplication, MembershipStatus, Organisation, WithdrawalNotice
from members.public import selectors as public_selectors
from members.public.conditional import cached_for_register, register_conditional

from .serializers import (
    AcknowledgeInput,
    ApplicationOutput,
    CommentInput,
    ErrorOutput,
    OrganisationDetailOutput,
    OrganisationOutput,
    StatusOutput,
    StatusQuery,
    WithdrawalOutput,
)

ERRORS = {400: ErrorOutput, 401: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput}


def public_read(view: Any) -> Any:
    """ETag / 304 for a public read, wrapped around the whole DRF view (``urls.py``): a 304 is answered
    from the register stamp before DRF negotiates, authenticates or throttles anything.

    The same URL answers JSON or the browsable HTML: shared caches must keep them apart (Vary: Accept).
    """
    return vary_on_headers("Accept")(register_conditional(view))


class RegisterCursorPagination(StrictCursorPagination):
    """Keyset pages: each ordering ends with "id" so the position is stable whatever rows tie."""

    page_size = 20
    ordering = ("name_sort", "id")

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        return sort_from_params(request.query_params)


def _organisation_or_404(uscc: str) -> Organisation:
    org = public_selectors.organisation_by_uscc(uscc)
    if org is None:
        raise Http404
    return org


@extend_schema(tags=["register"], responses={200: OrganisationOutput(many=True), 400: ErrorOutput})
class OrganisationListApi(generics.ListAPIView):
    """Organisations on the public register, with the same search and filters as the register page."""

    serializer_class = OrganisationOutput
    filterset_class = OrganisationFilter
    pagination_class = RegisterCursorPagination

    def get_queryset(self) -> Any:
        return public_selectors.public_organisations()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        def build() -> Any:
            return super(OrganisationListApi, self).list(request, *args, **kwargs).data

        renderer = request.accepted_renderer
        if not isinstance(renderer, JSONRenderer):  # the browsable API: the data, rendered per request
            return Response(cached_for_register(request, "api-organisations", build))
        # JSON: the rendered bytes are cached, so a repeated page is one cache read and no serialising.
        body = cached_for_register(request, "api-organisations-json", lambda: renderer.render(
            build(), request.accepted_media_type, self.get_renderer_context()))
        return HttpResponse(body, content_type=renderer.media_type)


@extend_schema(tags=["register"], responses={200: OrganisationDetailOutput, 404: ErrorOutput})
class OrganisationDetailApi(APIView):
    """One organisation's public record, membership periods and public history."""

    def get(self, request: Request, uscc: str) -> Response:
        org = _organisation_or_404(uscc)
        org.public_periods = public_selectors.public_periods(org)  # type: ignore[attr-defined]
        org.public_events = public_selectors.public_events(org)  # type: ignore[attr-defined]
        return Response(OrganisationDetailOutput(org).data)


class OrganisationStatusApi(APIView):
    """Was this organisation a signatory on a given date? Answered from the event log."""

    @extend_schema(tags=["register"], parameters=[StatusQuery], responses={200: StatusOutput, **ERRORS})
    def get(self, request: Request, uscc: str) -> Response:
        query = StatusQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        on = query.validated_data.get("on") or clock.today()
        org = public_selectors.organisation_by_uscc(uscc, kind_on=on)
        if org is None:
            raise Http404
        status = selectors.status_from_events([org.kind_on] if org.kind_on else [])  # type: ignore[attr-defined]
        dated = corrected_details_on(org, on)  # the details of that date, not today's
        details = dated.details
        # An end already recorded for a later day, told only for today and later: the answer for a past
        # date stays what it was when it was first given.
        scheduled = (selectors.scheduled_end(org, on) if status == MembershipStatus.SIGNATORY
                     and on >= clock.today() else None)
        return Response(StatusOutput({
            "uscc": org.public_uscc, "on": on, "status": status,
            "status_display": MembershipStatus(status).label, "is_signatory": status == MembershipStatus.SIGNATORY,
            "name": details.name, "name_en": details.name_en, "roles": details.role_list, "region": details.region,
            "scheduled_end": scheduled.ended_on if scheduled else None,
            "details_corrected": dated.corrected,
            "details_superseded": [{"name": v.name, "name_en": v.name_en, "roles": v.role_list, "region": v.region,
                                    "corrected_at": at} for v, at in dated.corrections()],
        }).data)


# --- Staff actions ---------------------------------------------------------------------------------

class _ActionApi(APIView):
    """A staff action: the service decides who may act (``members.core.policy``); this only parses input."""

    permission_classes = [IsAuthenticated]
    input_class: type[serializers.Serializer] | None = None

    def _input(self, request: Request) -> dict[str, Any]:
        if self.input_class is None:
            return {}
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


class _ApplicationActionApi(_ActionApi):
    service: Callable[..., JoinApplication]

    def _run(self, request: Request, pk: int) -> Response:
        app = get_object_or_404(JoinApplication, pk=pk)
        result = type(self).service(actor_from_request(request), app, **self._input(request))
        result.refresh_from_db()
        return Response(ApplicationOutput(result).data)


_APP_SCHEMA: dict[str, Any] = {"tags": ["staff"], "responses": {200: ApplicationOutput, **ERRORS}}


class ApplicationStartReviewApi(_ApplicationActionApi):
    service = services.application_start_review

    @extend_schema(request=None, **_APP_SCHEMA)
    def post(self, request: Request, pk: int) -> Response:
        return self._run(request, pk)


class ApplicationVerifySealedPageApi(_ApplicationActionApi):
    service = services.application_verify_sealed_page

    @extend_schema(request=None, **_APP_SCHEMA)
    def post(self, request: Request, pk: int) -> Response:
        return self._run(request, pk)


class ApplicationApproveApi(_ApplicationActionApi):
    service = services.application_approve
    input_class = CommentInput

    @extend_schema(request=CommentInput, **_APP_SCHEMA)
    def post(self, request: Request, pk: int) -> Response:
        return self._run(request, pk)


class ApplicationReturnApi(_ApplicationActionApi):
    service = services.application_return
    input_class = CommentInput

    @extend_schema(request=CommentInput, **_APP_SCHEMA)
    def post(self, request: Request, pk: int) -> Response:
        return self._run(request, pk)


class ApplicationRejectApi(_ApplicationActionApi):
    service = services.application_reject
    input_class = CommentInput

    @extend_schema(request=CommentInput, **_APP_SCHEMA)
    def post(self, request: Request, pk: int) -> Response:
        return self._run(request, pk)


class WithdrawalAcknowledgeApi(_ActionApi):
    input_class = AcknowledgeInput

    @extend_schema(tags=["staff"], request=AcknowledgeInput, responses={200: WithdrawalOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        notice = get_object_or_404(WithdrawalNotice, pk=pk)
        result = services.withdrawal_acknowledge(actor_from_request(request), notice, **self._input(request))
        result.refresh_from_db()
        return Response(WithdrawalOutput(result).data)

