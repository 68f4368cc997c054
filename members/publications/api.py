"""API of the bulletin archive: published bulletins with their files and SHA-256 hashes (public reads),
and the staff "publish now" of the admin, on the same service and permission."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members.api.serializers import ErrorOutput
from members.core.policy import actor_from_request

from . import services
from .models import Publication, PublicationFile
from .selectors import parse_period, published_publications


class PublicationFileOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = PublicationFile
        fields = ["kind", "url", "sha256", "size"]

    def get_url(self, obj: PublicationFile) -> str:
        url = reverse("publications:download", args=[obj.publication.number, obj.kind])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class PublicationOutput(serializers.ModelSerializer):
    period = serializers.CharField(source="period_label")
    corrects = serializers.SerializerMethodField()
    files = PublicationFileOutput(many=True)

    class Meta:
        model = Publication
        fields = ["number", "period", "period_start", "period_end", "corrects", "published_at", "page_count",
                  "files"]

    def get_corrects(self, obj: Publication) -> int | None:
        return obj.corrects.number if obj.corrects else None


@extend_schema(tags=["bulletins"], summary="List published bulletins")
class PublicationListApi(generics.ListAPIView):
    serializer_class = PublicationOutput
    pagination_class = None

    def get_queryset(self) -> Any:
        return published_publications()


@extend_schema(tags=["bulletins"], summary="One published bulletin by number")
class PublicationDetailApi(generics.RetrieveAPIView):
    serializer_class = PublicationOutput
    lookup_field = "number"

    def get_queryset(self) -> Any:
        return published_publications()


class PublishNowInput(serializers.Serializer):
    period = serializers.RegexField(r"^(19\d{2}|[2-9]\d{3})-(0[1-9]|1[0-2])$",
                                    help_text="YYYY-MM (1900 or later), the period's first month")
    months = serializers.IntegerField(min_value=1, max_value=12, default=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["start"], attrs["end"] = parse_period(attrs["period"], attrs["months"])
        except ValueError as exc:
            raise serializers.ValidationError({"period": [_("请输入有效的年月。")]}) from exc
        return attrs


class PublicationRequestOutput(serializers.Serializer):
    number = serializers.IntegerField()
    period = serializers.CharField(source="period_label")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    state = serializers.CharField()
    created = serializers.BooleanField(help_text="false when the period already had its bulletin")


class PublicationPublishNowApi(APIView):
    """Staff "publish now": the period's bulletin is created and queued, once (the admin's action)."""

    permission_classes = [IsAuthenticated]  # who may publish: the service asks the policy

    @extend_schema(tags=["bulletins", "staff"], request=PublishNowInput,
                   responses={200: PublicationRequestOutput, 201: PublicationRequestOutput, 400: ErrorOutput,
                              401: ErrorOutput, 403: ErrorOutput, 409: ErrorOutput})
    def post(self, request: Request) -> Response:
        data = PublishNowInput(data=request.data)
        data.is_valid(raise_exception=True)
        pub, created = services.publication_request(actor_from_request(request),
                                                    period_start=data.validated_data["start"],
                                                    period_end=data.validated_data["end"])
        pub.refresh_from_db()
        pub.created = created  # type: ignore[attr-defined]
        return Response(PublicationRequestOutput(pub).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PublicationRequeueApi(APIView):
    """Staff send a stuck bulletin (failed, queued, or rendering past its time limit) to be rendered again."""

    permission_classes = [IsAuthenticated]  # who may requeue: the service asks the policy

    @extend_schema(tags=["bulletins", "staff"], request=None,
                   responses={200: PublicationRequestOutput, 401: ErrorOutput, 403: ErrorOutput, 404: ErrorOutput,
                              409: ErrorOutput})
    def post(self, request: Request, number: int) -> Response:
        pub = get_object_or_404(Publication, number=number)
        pub = services.publication_requeue(actor_from_request(request), pub)
        pub.refresh_from_db()
        pub.created = False  # type: ignore[attr-defined]
        return Response(PublicationRequestOutput(pub).data)
