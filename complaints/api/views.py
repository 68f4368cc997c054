"""API endpoints: public notices (read-only, anyone) and representatives' answers and disputes.

Officers' case moves are in ``officers.py``, one class per action.

Thin views: input serializers validate shape, services decide; errors take the shape of
convention/api_errors.py.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import selectors, services
from complaints.models import CorrectionOrder, Dispute, DisputeEvent
from members.api.serializers import StrictCharField, UsccField
from members.core.errors import PermissionDenied
from members.core.pagination import StrictPageNumberPagination
from members.core.policy import actor_from_request
from members.models import MembershipEvent
from members.selectors import current_signatories, representative_of


class NoticePagination(StrictPageNumberPagination):
    page_size = 50


class PublicNoticeListApi(generics.ListAPIView):
    """Revocations of membership with public notice (Art 21), newest first."""

    class OutputSerializer(serializers.ModelSerializer):
        organisation_name = serializers.CharField(source="organisation.name")
        organisation_uscc = serializers.CharField(source="organisation.public_uscc")
        pdf_url = serializers.SerializerMethodField(help_text="the notice as the executive body's signed PDF")

        class Meta:
            model = MembershipEvent
            fields = ["id", "effective_date", "organisation_name", "organisation_uscc", "legal_basis",
                      "public_notice", "pdf_url"]
            ref_name = "PublicNotice"

        def get_pdf_url(self, event: MembershipEvent) -> str:
            from members.transparency.notices import notice_url

            return notice_url(event.pk)

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OutputSerializer
    pagination_class = NoticePagination

    def get_queryset(self) -> Any:
        return selectors.public_notices()


class CorrectionOutput(serializers.ModelSerializer):
    class Meta:
        model = CorrectionOrder
        fields = ["id", "requirement", "deadline", "state", "response", "answered_at", "overdue_flagged_at"]


def _representative_org(request: Request) -> Any:
    org = representative_of(request.user)
    if org is None:
        raise PermissionDenied(_("该账户没有关联单位。"))
    return org


class CorrectionListApi(generics.ListAPIView):
    """The representative's own organisation's correction orders."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CorrectionOutput
    queryset = CorrectionOrder.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return CorrectionOrder.objects.none()
        return selectors.corrections_for(_representative_org(self.request))


class CorrectionAnswerApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        report = StrictCharField()

        class Meta:
            ref_name = "CorrectionAnswerInput"

    @extend_schema(request=InputSerializer, responses=CorrectionOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = get_object_or_404(selectors.corrections_for(_representative_org(request)), pk=pk)
        order = services.correction_answer(actor_from_request(request), order, report=data.validated_data["report"])
        return Response(CorrectionOutput(order).data)


class DisputeRequestApi(APIView):
    """A representative asks for mediation against another current signatory, named by USCC."""

    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        respondent_uscc = UsccField(max_length=40)
        subject = StrictCharField(max_length=200)
        description = StrictCharField()

        class Meta:
            ref_name = "DisputeRequestInput"

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Dispute
            fields = ["id", "subject", "state", "requested_at", "requester_name", "respondent_name"]
            ref_name = "DisputeSummary"

        requester_name = serializers.CharField(source="requester.name", read_only=True)
        respondent_name = serializers.CharField(source="respondent.name", read_only=True)

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The organisation's disputes, as requester or respondent (both parties see them)."""
        return Response(self.OutputSerializer(selectors.disputes_for(_representative_org(request)), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _representative_org(request)
        respondent = get_object_or_404(current_signatories(), uscc=data.validated_data["respondent_uscc"].upper())
        dispute = services.dispute_request(actor_from_request(request), respondent=respondent,
                                           subject=data.validated_data["subject"],
                                           description=data.validated_data["description"])
        return Response(self.OutputSerializer(dispute).data, status=status.HTTP_201_CREATED)


class DisputeEventOutput(serializers.ModelSerializer):
    # Codes for programs, labels and the comment in the request's language for people (issue 13).
    action_label = serializers.CharField(read_only=True)
    to_state_label = serializers.CharField(read_only=True)
    comment = serializers.CharField(source="comment_text", read_only=True)

    class Meta:
        model = DisputeEvent
        fields = ["action", "action_label", "from_state", "to_state", "to_state_label", "at", "comment"]


class DisputeOutput(serializers.ModelSerializer):
    """A dispute as both parties and officers see it: mediation steps included, no staff identities."""

    requester_name = serializers.CharField(source="requester.name", read_only=True)
    respondent_name = serializers.CharField(source="respondent.name", read_only=True)
    events = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = ["id", "subject", "description", "state", "requested_at", "closed_at", "outcome",
                  "requester_name", "respondent_name", "events"]

    @extend_schema_field(DisputeEventOutput(many=True))
    def get_events(self, dispute: Dispute) -> Any:
        return DisputeEventOutput(dispute.events.order_by("at", "id"), many=True).data


class DisputeDetailApi(APIView):
    """One of the organisation's disputes; another organisation's dispute answers 404."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=DisputeOutput)
    def get(self, request: Request, pk: int) -> Response:
        dispute = get_object_or_404(selectors.disputes_for(_representative_org(request)), pk=pk)
        return Response(DisputeOutput(dispute).data)


class DisputeWithdrawApi(APIView):
    """The requesting organisation withdraws its mediation request (the service refuses the respondent)."""

    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = StrictCharField(required=False, allow_blank=True, default="", max_length=2000)

        class Meta:
            ref_name = "DisputeWithdrawInput"

    @extend_schema(request=InputSerializer, responses=DisputeOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = get_object_or_404(selectors.disputes_for(_representative_org(request)), pk=pk)
        dispute = services.dispute_withdraw(actor_from_request(request), dispute, reason=data.validated_data["reason"])
        return Response(DisputeOutput(dispute).data)
