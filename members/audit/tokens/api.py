"""Issuing, listing and revoking one's own API tokens through the API (mounted at /api/v1/tokens/).

Issuing needs a signed-in session (a token cannot issue tokens); listing and revoking work with either.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members.api.serializers import ErrorOutput, StrictCharField
from members.core.policy import actor_from_request

from . import services
from .models import ApiToken, TokenScope

ERRORS = {400: ErrorOutput, 401: ErrorOutput, 403: ErrorOutput, 409: ErrorOutput}


class TokenOutput(serializers.ModelSerializer):
    masked = serializers.CharField(read_only=True)
    grants_staff = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "scope", "masked", "created_at", "expires_at", "last_used_at", "revoked_at",
                  "created_in_verified_session", "grants_staff"]


class TokenCreatedOutput(TokenOutput):
    token = serializers.CharField(read_only=True, help_text="The token itself: shown in this answer only.")

    class Meta(TokenOutput.Meta):
        fields = [*TokenOutput.Meta.fields, "token"]


class TokenListCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class CreateInput(serializers.Serializer):
        name = StrictCharField(max_length=100)
        scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ)
        expires_in_days = serializers.IntegerField(required=False, min_value=1,
                                                   help_text="Default API_TOKEN_DEFAULT_DAYS (90); at most "
                                                             "API_TOKEN_MAX_DAYS.")

    @extend_schema(tags=["tokens"], responses={200: TokenOutput(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        tokens = ApiToken.objects.filter(user_id=request.user.pk or 0).select_related("user")
        return Response(TokenOutput(tokens, many=True).data)

    @extend_schema(tags=["tokens"], request=CreateInput, responses={201: TokenCreatedOutput, **ERRORS},
                   description="Issue a personal token from a signed-in session (never with a token). The "
                               "plaintext is in this answer only; only its hash is stored. "
                               f"Default lifetime {settings.API_TOKEN_DEFAULT_DAYS} days.")
    def post(self, request: Request) -> Response:
        data = self.CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        token, plaintext = services.token_create(actor_from_request(request), **data.validated_data)
        body: dict[str, Any] = dict(TokenOutput(token).data)
        body["token"] = plaintext
        return Response(body, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["tokens"], request=None, responses={200: TokenOutput, **ERRORS, 404: ErrorOutput})
    def post(self, request: Request, pk: int) -> Response:
        token = services.token_revoke(actor_from_request(request), pk)
        return Response(TokenOutput(token).data)
