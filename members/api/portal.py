"""Authenticated API for representatives' actions, on the same services as the HTML portal.

Everything is scoped to the organisation the account acts for: another organisation's objects answer
404. Errors have the shape of ``members.core.api_errors``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members import services
from members.api.serializers import StrictCharField, UsccField
from members.core.policy import actor_from_request
from members.models import (
    Document,
    Invitation,
    JoinApplication,
    Notification,
    Organisation,
    Representative,
    Role,
    WithdrawalNotice,
)
from members.portal import services as portal_services
from members.regions import REGIONS
from members.selectors import representative_of

# --- Serializers ------------------------------------------------------------------------------------


class OrganisationInSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    name_en = StrictCharField(max_length=300, required=False, allow_blank=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False)
    region = serializers.ChoiceField(choices=REGIONS)
    website = serializers.URLField(required=False, allow_blank=True)
    contact_name = StrictCharField(max_length=100)
    contact_phone = StrictCharField(max_length=40,  # the model's pattern, so the schema states it
                                          validators=Organisation._meta.get_field("contact_phone").validators)
    contact_email = serializers.EmailField()


class OrganisationPatchSerializer(OrganisationInSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class ApplicationCreateSerializer(OrganisationInSerializer):
    uscc = UsccField(max_length=40)


class DocumentOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class OrganisationOutSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(source="role_list", child=serializers.CharField())

    class Meta:
        model = Organisation
        fields = ["uscc", "name", "name_en", "roles", "region", "website", "contact_name", "contact_phone",
                  "contact_email", "status", "joined_on", "left_on"]


class ApplicationOutSerializer(serializers.ModelSerializer):
    organisation = OrganisationOutSerializer()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = JoinApplication
        fields = ["id", "state", "created_at", "submitted_at", "decided_at", "staff_comment", "organisation",
                  "documents"]

    def get_documents(self, app: JoinApplication) -> list[dict[str, Any]]:
        return DocumentOutSerializer(app.documents.filter(superseded=False), many=True).data  # type: ignore[return-value]


class DocumentInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[Document.Kind.BUSINESS_LICENCE.value, Document.Kind.SEALED_PAGE.value])
    file = serializers.FileField()


class WithdrawalJsonInSerializer(serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True, max_length=2000)
    requested_date = serializers.DateField(required=False, allow_null=True)


class WithdrawalInSerializer(WithdrawalJsonInSerializer):
    """The same with the sealed letter, as multipart (where a part cannot be null: leave it out)."""

    requested_date = serializers.DateField(required=False)
    letter = serializers.FileField(required=False)


class WithdrawalOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = WithdrawalNotice
        fields = ["id", "state", "reason", "requested_date", "effective_date", "filed_at", "acknowledged_at"]


class InvitationInSerializer(serializers.Serializer):
    email = serializers.EmailField()


class InvitationOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "created_at", "accepted_at", "revoked_at"]


class FeedbackInSerializer(serializers.Serializer):
    subject = StrictCharField(max_length=200)
    body = StrictCharField(max_length=5000)


class NotificationOutSerializer(serializers.ModelSerializer):
    # In the request's language (members.core.texts), like every other API message.
    subject = serializers.CharField(source="subject_text", read_only=True)
    body = serializers.CharField(source="body_text", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "created_at"]


# --- Views ------------------------------------------------------------------------------------------


class RepresentativeView(APIView):
    """Base: logged-in representative; ``self.org`` is their organisation."""

    permission_classes = [permissions.IsAuthenticated]
    org: Organisation

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        org = representative_of(request.user)
        if org is None:
            raise NotFound(_("该账户尚未关联单位。"))
        self.org = org

    def applications(self) -> QuerySet[JoinApplication]:
        return JoinApplication.objects.select_related("organisation").filter(organisation=self.org)


class ApplicationListCreate(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ApplicationOutSerializer(many=True))
    def get(self, request: Request) -> Response:
        org = representative_of(request.user)
        apps = org.applications.all() if org else JoinApplication.objects.none()
        return Response(ApplicationOutSerializer(apps, many=True).data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationOutSerializer})
    def post(self, request: Request) -> Response:
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        uscc = fields.pop("uscc")
        app = services.application_create(actor_from_request(request), uscc=uscc, data=fields)
        return Response(ApplicationOutSerializer(app).data, status=status.HTTP_201_CREATED)


class ApplicationDetail(RepresentativeView):
    @extend_schema(responses=ApplicationOutSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ApplicationOutSerializer(get_object_or_404(self.applications(), pk=pk)).data)

    @extend_schema(request=OrganisationPatchSerializer, responses=ApplicationOutSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        app = get_object_or_404(self.applications(), pk=pk)
        data = OrganisationPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = services.application_update(actor_from_request(request), app, data=dict(data.validated_data))
        return Response(ApplicationOutSerializer(app).data)


class ApplicationDocumentUpload(RepresentativeView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": DocumentInSerializer}, responses={201: DocumentOutSerializer})
    def post(self, request: Request, pk: int) -> Response:
        app = get_object_or_404(self.applications(), pk=pk)
        data = DocumentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kind = data.validated_data["kind"]
        doc = services.document_upload(actor_from_request(request), organisation=self.org, kind=kind,
                                       upload=data.validated_data["file"], application=app)
        return Response(DocumentOutSerializer(doc).data, status=status.HTTP_201_CREATED)


class ApplicationSubmit(RepresentativeView):
    @extend_schema(request=None, responses=ApplicationOutSerializer)
    def post(self, request: Request, pk: int) -> Response:
        app = services.application_submit(actor_from_request(request), get_object_or_404(self.applications(), pk=pk))
        return Response(ApplicationOutSerializer(app).data)


class WithdrawalListCreate(RepresentativeView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(responses=WithdrawalOutSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(WithdrawalOutSerializer(self.org.withdrawals.all(), many=True).data)

    @extend_schema(request={"application/json": WithdrawalJsonInSerializer,
                            "multipart/form-data": WithdrawalInSerializer}, responses={201: WithdrawalOutSerializer})
    def post(self, request: Request) -> Response:
        multipart = (request.content_type or "").startswith("multipart/")
        data = (WithdrawalInSerializer if multipart else WithdrawalJsonInSerializer)(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        notice = services.withdrawal_file(actor_from_request(request), self.org, reason=v.get("reason", ""),
                                          requested_date=v.get("requested_date"), letter=v.get("letter"))
        return Response(WithdrawalOutSerializer(notice).data, status=status.HTTP_201_CREATED)


class WithdrawalDetail(RepresentativeView):
    @extend_schema(responses=WithdrawalOutSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(WithdrawalOutSerializer(get_object_or_404(self.org.withdrawals, pk=pk)).data)


class InvitationListCreate(RepresentativeView):
    @extend_schema(responses=InvitationOutSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(InvitationOutSerializer(portal_services.open_invitations(self.org), many=True).data)

    @extend_schema(request=InvitationInSerializer, responses={201: InvitationOutSerializer})
    def post(self, request: Request) -> Response:
        data = InvitationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inv = portal_services.invitation_send(actor_from_request(request), self.org, email=data.validated_data["email"])
        return Response(InvitationOutSerializer(inv).data, status=status.HTTP_201_CREATED)


class InvitationRevoke(RepresentativeView):
    @extend_schema(request=None, responses=InvitationOutSerializer)
    def post(self, request: Request, pk: int) -> Response:
        inv = portal_services.invitation_revoke(actor_from_request(request), get_object_or_404(self.org.invitations, pk=pk))
        return Response(InvitationOutSerializer(inv).data)


class FeedbackCreate(RepresentativeView):
    @extend_schema(request=FeedbackInSerializer, responses={201: None})
    def post(self, request: Request) -> Response:
        data = FeedbackInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fb = portal_services.feedback_submit(actor_from_request(request), self.org, **data.validated_data)
        return Response({"id": fb.pk}, status=status.HTTP_201_CREATED)


class NotificationList(RepresentativeView):
    @extend_schema(responses=NotificationOutSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(NotificationOutSerializer(self.org.notifications.all()[:200], many=True).data)


# --- Actions the HTML portal has had without an endpoint ---------------------------------------------


class RepresentativeOutSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Representative
        fields = ["id", "email", "is_primary", "created_at"]


class WithdrawalCancelApi(RepresentativeView):
    """Take back a withdrawal notice that has not taken effect (same transition rules as the portal)."""

    @extend_schema(request=None, responses=WithdrawalOutSerializer)
    def post(self, request: Request, pk: int) -> Response:
        notice = services.withdrawal_cancel(actor_from_request(request), get_object_or_404(self.org.withdrawals, pk=pk))
        return Response(WithdrawalOutSerializer(notice).data)


class ApplicationReapplyApi(RepresentativeView):
    """A new draft application for an organisation that withdrew, was rejected or was revoked (Art 25)."""

    @extend_schema(request=None, responses={201: ApplicationOutSerializer})
    def post(self, request: Request) -> Response:
        app = services.application_reapply(actor_from_request(request), self.org)
        return Response(ApplicationOutSerializer(app).data, status=status.HTTP_201_CREATED)


class RepresentativeListApi(RepresentativeView):
    """The colleagues who act for the organisation."""

    @extend_schema(responses=RepresentativeOutSerializer(many=True))
    def get(self, request: Request) -> Response:
        reps = self.org.representatives.select_related("user").order_by("created_at", "pk")
        return Response(RepresentativeOutSerializer(reps, many=True).data)


class RepresentativeRemoveApi(RepresentativeView):
    """Remove a colleague's right to act for the organisation (not oneself, never the last one)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, pk: int) -> Response:
        get_object_or_404(self.org.representatives, pk=pk)
        portal_services.representative_remove(actor_from_request(request), self.org, representative_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationDetailApi(RepresentativeView):
    @extend_schema(responses=NotificationOutSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(NotificationOutSerializer(get_object_or_404(self.org.notifications, pk=pk)).data)
