"""API endpoints: public notices (read-only, anyone), officers' case moves and representatives' answers.

Thin views: input serializers validate shape, services decide; errors take the shape of
convention/api_errors.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import selectors, services
from complaints.models import Complaint, CorrectionOrder, Dispute, DisputeEvent
from members.core.errors import PermissionDenied
from members.core.pagination import StrictPageNumberPagination
from members.models import MembershipEvent
from members.selectors import current_signatories, representative_of


class NoticePagination(StrictPageNumberPagination):
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
        dispute = services.dispute_request(user=request.user, respondent=respondent,
                                           subject=data.validated_data["subject"],
                                           description=data.validated_data["description"])
        return Response(self.OutputSerializer(dispute).data, status=status.HTTP_201_CREATED)


class DisputeEventOutput(serializers.ModelSerializer):
    class Meta:
        model = DisputeEvent
        fields = ["action", "from_state", "to_state", "at", "comment"]


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
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

        class Meta:
            ref_name = "DisputeWithdrawInput"

    @extend_schema(request=InputSerializer, responses=DisputeOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = get_object_or_404(selectors.disputes_for(_representative_org(request)), pk=pk)
        dispute = services.dispute_withdraw(dispute, user=request.user, reason=data.validated_data["reason"])
        return Response(DisputeOutput(dispute).data)


class DisputeTransitionApi(APIView):
    """An officer mediates (as on the admin case page): start_mediation (text = comment), step (text = what
    happened, both parties see it), settle / not_settle (text = outcome), withdraw (on the requester's behalf)."""

    permission_classes = [IsComplaintOfficer]
    required_perm = "complaints.change_dispute"

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["start_mediation", "step", "settle", "not_settle", "withdraw"])
        text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

        class Meta:
            ref_name = "DisputeTransitionInput"

    @extend_schema(request=InputSerializer, responses=DisputeOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = get_object_or_404(Dispute, pk=pk)
        action, text, user = data.validated_data["action"], data.validated_data["text"], request.user
        if action == "start_mediation":
            services.dispute_start_mediation(dispute, user=user, comment=text)
        elif action == "step":
            services.dispute_record_step(dispute, user=user, step=text)
        elif action == "settle":
            services.dispute_settle(dispute, user=user, outcome=text)
        elif action == "not_settle":
            services.dispute_not_settle(dispute, user=user, outcome=text)
        else:
            services.dispute_withdraw(dispute, user=user, reason=text)
        dispute.refresh_from_db()
        return Response(DisputeOutput(dispute).data)


class ComplaintMeasureApi(APIView):
    """An officer's other moves on a case, as on the admin case page: assign (assignee_id), note (text),
    correction_order (requirement, deadline), internal_notice (title, body), revoke (text = reason,
    public_notice, effective_date: ends the membership with a public notice, Art 21)."""

    permission_classes = [IsComplaintOfficer]
    required_perm = "complaints.change_complaint"

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["assign", "note", "correction_order", "internal_notice",
                                                     "revoke"])
        text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
        assignee_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        requirement = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
        deadline = serializers.DateField(required=False, allow_null=True, default=None)
        title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        body = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
        public_notice = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
        effective_date = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "ComplaintMeasureInput"

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if attrs["action"] == "correction_order" and attrs.get("deadline") is None:
                raise serializers.ValidationError({"deadline": [_("请填写整改期限。")]})
            return attrs

    class OutputSerializer(serializers.Serializer):
        action = serializers.CharField()
        id = serializers.IntegerField()

        class Meta:
            ref_name = "ComplaintMeasureResult"

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = get_object_or_404(Complaint, pk=pk)
        v, user = data.validated_data, request.user
        obj: Any
        if v["action"] == "assign":
            assignee = None
            if v["assignee_id"] is not None:
                assignee = get_object_or_404(get_user_model().objects.filter(is_active=True),
                                             pk=v["assignee_id"])
            obj = services.complaint_assign(complaint, user=user, assignee=assignee)
        elif v["action"] == "note":
            obj = services.complaint_add_note(complaint, user=user, note=v["text"])
        elif v["action"] == "correction_order":
            obj = services.correction_order_issue(complaint, user=user, requirement=v["requirement"],
                                                  deadline=v["deadline"])
        elif v["action"] == "internal_notice":
            obj = services.internal_notice_issue(complaint, user=user, title=v["title"], body=v["body"])
        else:
            obj = services.complaint_revoke_membership(complaint, user=user, reason=v["text"],
                                                       public_notice=v["public_notice"],
                                                       effective_date=v["effective_date"])
        return Response({"action": v["action"], "id": obj.pk}, status=status.HTTP_201_CREATED)


class CorrectionReviewApi(APIView):
    """An officer accepts an answered correction order (text = comment) or escalates it (text = reason)."""

    permission_classes = [IsComplaintOfficer]
    required_perm = "complaints.change_complaint"

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["accept", "escalate"])
        text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

        class Meta:
            ref_name = "CorrectionReviewInput"

    @extend_schema(request=InputSerializer, responses=CorrectionOutput)
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = get_object_or_404(CorrectionOrder, pk=pk)
        if data.validated_data["action"] == "accept":
            order = services.correction_accept(order, user=request.user, comment=data.validated_data["text"])
        else:
            order = services.correction_escalate(order, user=request.user, comment=data.validated_data["text"])
        return Response(CorrectionOutput(order).data)
