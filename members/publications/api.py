"""Read-only API of the bulletin archive: published bulletins with their files and SHA-256 hashes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from .models import Publication, PublicationFile
from .selectors import published_publications


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
