"""API of the complaint officers' desk: one small class per action, each with its own input serializer.

The same moves as the admin case page, on the same services: who may act is decided by the service
through the policy (``complaints/permissions.py``), never here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import services
from complaints.models import Complaint, CorrectionOrder, Dispute
from members.api.serializers import ErrorOutput, StrictCharField
from members.core.policy import Actor, actor_from_request

from .views import CorrectionOutput, DisputeOutput

ERRORS = {400: ErrorOutput, 401: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput, 409: ErrorOutput}


class ComplaintStateOutput(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = ["id", "state", "decision", "decided_at"]
        ref_name = "ComplaintState"


class MeasureOutput(serializers.Serializer):
    id = serializers.IntegerField()

    class Meta:
        ref_name = "ComplaintMeasureResult"


def _text(*, required: bool = True, max_length: int = 5000) -> serializers.CharField:
    if required:
        return StrictCharField(max_length=max_length)
    return StrictCharField(required=False, allow_blank=True, default="", max_length=max_length)


class NoInput(serializers.Serializer):
    class Meta:
        ref_name = "NoInput"


class _CaseActionApi(APIView):
    """Parse the input, find the case, call ``act`` with the request's actor; the service authorises."""

    permission_classes = [IsAuthenticated]
    model: type[Model] = Complaint
    input_class: type[serializers.Serializer] = NoInput
    created = False

    def act(self, actor: Actor, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def output(self, result: Any) -> Any:
        return ComplaintStateOutput(result).data

    def post(self, request: Request, pk: int) -> Response:
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        obj = get_object_or_404(self.model, pk=pk)
        result = self.act(actor_from_request(request), obj, dict(data.validated_data))
        return Response(self.output(result), status=status.HTTP_201_CREATED if self.created else status.HTTP_200_OK)


# --- Verification (Art 21) ---------------------------------------------------------------------------

@extend_schema(tags=["staff"], request=None, responses={200: ComplaintStateOutput, **ERRORS})
class ComplaintStartVerificationApi(_CaseActionApi):
    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        return services.complaint_start_verification(actor, obj)


class ReasonInput(serializers.Serializer):
    reason = _text()


@extend_schema(tags=["staff"], request=ReasonInput, responses={200: ComplaintStateOutput, **ERRORS})
class ComplaintCloseUnfoundedApi(_CaseActionApi):
    """Close the case as unfounded; the reason is shown to the reporter."""

    input_class = ReasonInput

    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        return services.complaint_close_unfounded(actor, obj, reason=data["reason"])


class FindingInput(serializers.Serializer):
    finding = _text()


@extend_schema(tags=["staff"], request=FindingInput, responses={200: ComplaintStateOutput, **ERRORS})
class ComplaintSubstantiateApi(_CaseActionApi):
    """The case is substantiated; the finding is shown to the reporter."""

    input_class = FindingInput

    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        return services.complaint_substantiate(actor, obj, finding=data["finding"])


class AssignInput(serializers.Serializer):
    assignee_id = serializers.IntegerField(allow_null=True)


@extend_schema(tags=["staff"], request=AssignInput, responses={200: ComplaintStateOutput, **ERRORS})
class ComplaintAssignApi(_CaseActionApi):
    """Assign the case to a staff member (null: nobody)."""

    input_class = AssignInput

    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        assignee = None
        if data["assignee_id"] is not None:
            assignee = get_object_or_404(get_user_model().objects.filter(is_active=True), pk=data["assignee_id"])
        return services.complaint_assign(actor, obj, assignee=assignee)


class NoteInput(serializers.Serializer):
    note = _text()


@extend_schema(tags=["staff"], request=NoteInput, responses={201: MeasureOutput, **ERRORS})
class ComplaintNoteApi(_CaseActionApi):
    """An internal note in the case history (officers only)."""

    input_class = NoteInput
    created = True

    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        return services.complaint_add_note(actor, obj, note=data["note"])

    def output(self, result: Any) -> Any:
        return MeasureOutput(result).data


# --- Measures on a substantiated case ----------------------------------------------------------------

class CorrectionIssueInput(serializers.Serializer):
    requirement = _text()
    deadline = serializers.DateField()


@extend_schema(tags=["staff"], request=CorrectionIssueInput, responses={201: CorrectionOutput, **ERRORS})
class CorrectionIssueApi(_CaseActionApi):
    """要求及时改正: a correction order to the company, private to it, with a deadline."""

    input_class = CorrectionIssueInput
    created = True

    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        return services.correction_order_issue(actor, obj, requirement=data["requirement"], deadline=data["deadline"])

    def output(self, result: Any) -> Any:
        return CorrectionOutput(result).data


class InternalNoticeInput(serializers.Serializer):
    title = _text(max_length=200)
    body = _text(max_length=20000)


@extend_schema(tags=["staff"], request=InternalNoticeInput, responses={201: MeasureOutput, **ERRORS})
class InternalNoticeIssueApi(_CaseActionApi):
    """内部通报: a notice shown to every member company in the portal."""

    input_class = InternalNoticeInput
    created = True

    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        return services.internal_notice_issue(actor, obj, title=data["title"], body=data["body"])

    def output(self, result: Any) -> Any:
        return MeasureOutput(result).data


class RevokeInput(serializers.Serializer):
    reason = _text()
    public_notice = _text(max_length=20000)
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema(tags=["staff"], request=RevokeInput, responses={200: ComplaintStateOutput, **ERRORS})
class ComplaintRevokeMembershipApi(_CaseActionApi):
    """取消成员资格并向社会通报: ends the membership with a public notice (Art 21)."""

    input_class = RevokeInput

    def act(self, actor: Actor, obj: Complaint, data: dict[str, Any]) -> Any:
        return services.complaint_revoke_membership(actor, obj, **data)


class CommentInput(serializers.Serializer):
    comment = _text(required=False)

    class Meta:
        ref_name = "OfficerCommentInput"


@extend_schema(tags=["staff"], request=CommentInput, responses={200: CorrectionOutput, **ERRORS})
class CorrectionAcceptApi(_CaseActionApi):
    """Accept an answered correction order."""

    model = CorrectionOrder
    input_class: type[serializers.Serializer] = CommentInput

    def act(self, actor: Actor, obj: CorrectionOrder, data: dict[str, Any]) -> Any:
        return services.correction_accept(actor, obj, comment=data["comment"])

    def output(self, result: Any) -> Any:
        return CorrectionOutput(result).data


class EscalateInput(serializers.Serializer):
    comment = _text()


@extend_schema(tags=["staff"], request=EscalateInput, responses={200: CorrectionOutput, **ERRORS})
class CorrectionEscalateApi(CorrectionAcceptApi):
    """The correction is not accepted: the case is escalated (reason required)."""

    input_class = EscalateInput

    def act(self, actor: Actor, obj: CorrectionOrder, data: dict[str, Any]) -> Any:
        return services.correction_escalate(actor, obj, comment=data["comment"])


# --- Mediation (Art 22) ------------------------------------------------------------------------------

class _DisputeActionApi(_CaseActionApi):
    model = Dispute

    def output(self, result: Any) -> Any:
        result.refresh_from_db()
        return DisputeOutput(result).data


@extend_schema(tags=["staff"], request=CommentInput, responses={200: DisputeOutput, **ERRORS})
class DisputeStartMediationApi(_DisputeActionApi):
    input_class = CommentInput

    def act(self, actor: Actor, obj: Dispute, data: dict[str, Any]) -> Any:
        return services.dispute_start_mediation(actor, obj, comment=data["comment"])


class StepInput(serializers.Serializer):
    step = _text()


@extend_schema(tags=["staff"], request=StepInput, responses={200: DisputeOutput, **ERRORS})
class DisputeStepApi(_DisputeActionApi):
    """A mediation step (meeting, call, proposal); both parties see it."""

    input_class = StepInput

    def act(self, actor: Actor, obj: Dispute, data: dict[str, Any]) -> Any:
        services.dispute_record_step(actor, obj, step=data["step"])
        return obj


class OutcomeInput(serializers.Serializer):
    outcome = _text()


@extend_schema(tags=["staff"], request=OutcomeInput, responses={200: DisputeOutput, **ERRORS})
class DisputeSettleApi(_DisputeActionApi):
    input_class = OutcomeInput

    def act(self, actor: Actor, obj: Dispute, data: dict[str, Any]) -> Any:
        return services.dispute_settle(actor, obj, outcome=data["outcome"])


@extend_schema(tags=["staff"], request=OutcomeInput, responses={200: DisputeOutput, **ERRORS})
class DisputeNotSettleApi(_DisputeActionApi):
    input_class = OutcomeInput

    def act(self, actor: Actor, obj: Dispute, data: dict[str, Any]) -> Any:
        return services.dispute_not_settle(actor, obj, outcome=data["outcome"])


class WithdrawInput(serializers.Serializer):
    reason = _text(required=False, max_length=2000)

    class Meta:
        ref_name = "OfficerDisputeWithdrawInput"


@extend_schema(tags=["staff"], request=WithdrawInput, responses={200: DisputeOutput, **ERRORS})
class DisputeWithdrawOnBehalfApi(_DisputeActionApi):
    """Staff withdraw a mediation request on the requester's behalf."""

    input_class = WithdrawInput

    def act(self, actor: Actor, obj: Dispute, data: dict[str, Any]) -> Any:
        return services.dispute_withdraw(actor, obj, reason=data["reason"])
