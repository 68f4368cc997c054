"""API endpoints: public notices (read-only, anyone), officers' case moves and representatives' answers.

Thin views: input serializers validate shape, services decide; errors take the shape of
convention/api_errors.py.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members.errors import PermissionDenied
from members.models import MembershipEvent
from members.selectors import current_signatories, representative_of

from . import selectors, services
from .models import Complaint, CorrectionOrder, Dispute


class NoticePagination(PageNumberPagination):
    page_size = 50


class PublicNoticeListApi(generics.ListAPIView):
    """Revocations of membership with public notice (Art 21), newest first."""

    class OutputSerializer(serializers.ModelSerializer):
        organisation_name = serializers.CharField(source="organisation.name")
        organisation_uscc = serializers.CharField(source="organisation.public_uscc")

        class Meta:
            model = MembershipEvent
            fields = ["id", "effective_date", "organisation_name", "organisation_uscc", "legal_basis",
                      "public_notice"]
            ref_name = "PublicNotice"

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OutputSerializer
    pagination_class = NoticePagination

    def get_queryset(self) -> Any:
        return selectors.public_notices()


class IsComplaintOfficer(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff
                    and user.has_perm(getattr(view, "required_perm", "")))


class ComplaintTransitionApi(APIView):
    """An officer moves a case: start_verification, close_unfounded (text = reason), substantiate (text = finding)."""

    permission_classes = [IsComplaintOfficer]
    required_perm = "complaints.change_complaint"

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["start_verification", "close_unfounded", "substantiate"])
        text = serializers.CharField(required=False, allow_blank=True, default="")

        class Meta:
            ref_name = "ComplaintTransitionInput"

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Complaint
            fields = ["id", "state", "decision", "decided_at"]
            ref_name = "ComplaintState"

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = get_object_or_404(Complaint, pk=pk)
        action, text = data.validated_data["action"], data.validated_data["text"]
        if action == "start_verification":
            complaint = services.complaint_start_verification(complaint, user=request.user)
        elif action == "close_unfounded":
            complaint = services.complaint_close_unfounded(complaint, user=request.user, reason=text)
        else:
            complaint = services.complaint_substantiate(complaint, user=request.user, finding=text)
        return Response(self.OutputSerializer(complaint).data)


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
        report = serializers.CharField()

        class Meta:
            ref_name = "CorrectionAnswerInput"

    @extend_schema(request=InputSerializer, responses=CorrectionOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = get_object_or_404(selectors.corrections_for(_representative_org(request)), pk=pk)
        order = services.correction_answer(order, user=request.user, report=data.validated_data["report"])
        return Response(CorrectionOutput(order).data)


class DisputeRequestApi(APIView):
    """A representative asks for mediation against another current signatory, named by USCC."""

    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        respondent_uscc = serializers.CharField(max_length=18)
        subject = serializers.CharField(max_length=200)
        description = serializers.CharField()

        class Meta:
            ref_name = "DisputeRequestInput"

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Dispute
            fields = ["id", "subject", "state", "requested_at"]
            ref_name = "DisputeSummary"

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _representative_org(request)
        respondent = get_object_or_404(current_signatories(), uscc=data.validated_data["respondent_uscc"].upper())
        dispute = services.dispute_request(user=request.user, respondent=respondent,
                                           subject=data.validated_data["subject"],
                                           description=data.validated_data["description"])
        return Response(self.OutputSerializer(dispute).data, status=status.HTTP_201_CREATED)
