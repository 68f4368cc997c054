"""API views of the convention's text and versions; their URLs are in ``api_urls.py`` (under /api/v1/)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from convention.models import Article, ConventionVersion
from convention.text import selectors
from members.api.serializers import ErrorOutput


class ArticleOutput(serializers.ModelSerializer):
    label = serializers.CharField()  # type: ignore[assignment]
    paragraphs = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Article
        fields = ["number", "label", "chapter_number", "chapter_title", "text", "paragraphs"]


class VersionOutput(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = ConventionVersion
        fields = ["number", "title", "effective_date", "adopted_note", "is_current"]

    def get_is_current(self, obj: ConventionVersion) -> bool:
        current = self.context.get("current")
        return current is not None and current.pk == obj.pk


class VersionDetailOutput(VersionOutput):
    articles = ArticleOutput(many=True)

    class Meta(VersionOutput.Meta):
        fields = [*VersionOutput.Meta.fields, "articles"]


def _version_or_404(number: int) -> ConventionVersion:
    version = selectors.version_by_number(number)
    if version is None:
        raise Http404
    return version


def _detail(version: ConventionVersion) -> dict:
    version.articles_list = list(selectors.articles_of(version))  # type: ignore[attr-defined]
    data = VersionDetailOutput(version, context={"current": selectors.current_version()}).data
    data["articles"] = ArticleOutput(version.articles_list, many=True).data  # type: ignore[attr-defined]
    return data


class ConventionVersionListApi(APIView):
    """Every version of the convention, newest first."""

    @extend_schema(tags=["convention"], responses={200: VersionOutput(many=True)})
    def get(self, request: Request) -> Response:
        context = {"current": selectors.current_version()}
        return Response(VersionOutput(selectors.versions(), many=True, context=context).data)


class ConventionCurrentApi(APIView):
    """The version in force today, article by article."""

    @extend_schema(tags=["convention"], responses={200: VersionDetailOutput, 404: ErrorOutput})
    def get(self, request: Request) -> Response:
        version = selectors.current_version()
        if version is None:
            raise Http404
        return Response(_detail(version))


class ConventionVersionDetailApi(APIView):
    """One version, article by article."""

    @extend_schema(tags=["convention"], responses={200: VersionDetailOutput, 404: ErrorOutput})
    def get(self, request: Request, number: int) -> Response:
        return Response(_detail(_version_or_404(number)))


class ConventionArticleApi(APIView):
    """One article of one version."""

    @extend_schema(tags=["convention"], responses={200: ArticleOutput, 404: ErrorOutput})
    def get(self, request: Request, number: int, article: int) -> Response:
        found = selectors.articles_of(_version_or_404(number)).filter(number=article).first()
        if found is None:
            raise Http404
        return Response(ArticleOutput(found).data)
