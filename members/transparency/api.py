"""Read-only API of the public log: entries, heads, inclusion and consistency proofs (RFC 9162).

Hashes are base64 (as RFC 9162's JSON and the standalone verifier use) with a hex copy for reading.
The log only grows, so an entry's index and a head of a given size never change: answers are cacheable.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from members.api.serializers import ErrorOutput

from . import selectors
from .models import LogEntry

TAGS = ["public log"]


def _b64hex(value: str) -> str:
    return base64.b64encode(bytes.fromhex(value)).decode()


class HeadOutput(serializers.Serializer):
    size = serializers.IntegerField()
    root = serializers.CharField(help_text="base64 SHA-256 Merkle tree hash (RFC 9162 MTH)")  # type: ignore[assignment]  # the field is named as RFC 9162 names it
    root_hex = serializers.CharField()


class EntryOutput(serializers.Serializer):
    index = serializers.IntegerField()
    kind = serializers.CharField()
    entry = serializers.JSONField(help_text="the entry, parsed")
    body = serializers.CharField(help_text="the entry's canonical bytes (UTF-8): the leaf is SHA-256(0x00 || body)")
    leaf_hash = serializers.CharField(help_text="base64")
    logged_at = serializers.DateTimeField()
    inclusion_proof = serializers.CharField(help_text="URL of its inclusion proof in the current tree")


def _entry(e: LogEntry, request: Request) -> dict[str, Any]:
    proof = request.build_absolute_uri(reverse("log-proof-inclusion") + f"?index={e.index}")
    return {"index": e.index, "kind": e.kind, "entry": json.loads(e.body), "body": e.body,
            "leaf_hash": _b64hex(e.leaf_hash), "logged_at": e.logged_at, "inclusion_proof": proof}


def _invalid(field: str, message: Any) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


def _beyond(n: int) -> NotFound:
    """A well-formed size or index the log does not have (yet): no such head, entry or proof."""
    return NotFound(_("日志当前只有 %(n)s 条。") % {"n": n})


# SHA-256 as 64 hex digits or 44 base64 characters (RFC 9162's JSON).
LEAF_HASH = r"^\s*([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)\s*$"


class EntriesInput(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=100)
    organisation = serializers.IntegerField(min_value=1, required=False,
                                            help_text="only the entries about this organisation (its id)")


class EntriesOutput(serializers.Serializer):
    size = serializers.IntegerField()
    entries = EntryOutput(many=True)
    next = serializers.CharField(allow_null=True)


class LogEntriesApi(APIView):
    """Entries in log order, ``limit`` at a time from index ``start``; ``next`` continues."""

    @extend_schema(tags=TAGS, summary="Log entries", operation_id="log_entries_list", parameters=[EntriesInput],
                   responses={200: EntriesOutput, 400: ErrorOutput})
    def get(self, request: Request) -> Response:
        data = EntriesInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        start, limit = data.validated_data["start"], data.validated_data["limit"]
        qs = selectors.entries(start)
        if "organisation" in data.validated_data:
            qs = qs.filter(organisation_id=data.validated_data["organisation"])
        rows = list(qs[:limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        next_url = None
        if more:
            params = request.query_params.copy()
            params["start"] = str(rows[-1].index + 1)
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response({"size": selectors.log_size(), "entries": [_entry(e, request) for e in rows],
                         "next": next_url})


class LogEntryDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="One log entry by index", operation_id="log_entry_retrieve", responses={200: EntryOutput, 404: ErrorOutput})
    def get(self, request: Request, index: int) -> Response:
        entry = LogEntry.objects.filter(index=index).first()
        if entry is None:
            raise Http404
        return Response(_entry(entry, request))


class HeadInput(serializers.Serializer):
    size = serializers.IntegerField(min_value=0, required=False, help_text="default: the current size")

    def validate_size(self, value: int) -> int:
        if value > selectors.log_size():
            raise _beyond(selectors.log_size())
        return value


class LogHeadApi(APIView):
    @extend_schema(tags=TAGS, summary="Tree head (size and root) now or at an earlier size", parameters=[HeadInput],
                   responses={200: HeadOutput, 400: ErrorOutput, 404: ErrorOutput})
    def get(self, request: Request) -> Response:
        data = HeadInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        return Response(selectors.head(data.validated_data.get("size")).as_dict())


class InclusionInput(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, required=False)
    leaf_hash = serializers.RegexField(LEAF_HASH, required=False, help_text="hex or base64, instead of index")
    size = serializers.IntegerField(min_value=1, required=False, help_text="tree size; default: the current size")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        n = selectors.log_size()
        size = attrs.setdefault("size", n)
        if size > n:
            raise _beyond(n)
        if "leaf_hash" in attrs:
            raw = attrs["leaf_hash"].strip()
            hexed = raw.lower() if len(raw) == 64 else base64.b64decode(raw, validate=True).hex()
            entry = selectors.entry_by_leaf(hexed)
            if entry is None:
                raise NotFound(_("日志中没有此叶哈希。"))
            attrs["index"] = entry.index
        if "index" not in attrs:
            raise _invalid("index", _("请提供序号或叶哈希。"))
        if attrs["index"] >= size:
            raise NotFound(_("序号必须小于树的大小 %(n)s。") % {"n": size})
        return attrs


class InclusionOutput(serializers.Serializer):
    index = serializers.IntegerField()
    size = serializers.IntegerField()
    leaf_hash = serializers.CharField()
    root = serializers.CharField()  # type: ignore[assignment]  # named as RFC 9162 names it
    proof = serializers.ListField(child=serializers.CharField(), help_text="base64 hashes, RFC 9162 2.1.3.1")
    body = serializers.CharField(help_text="the entry's canonical bytes")


class LogInclusionProofApi(APIView):
    """The audit path of one entry in the tree of ``size`` entries."""

    @extend_schema(tags=TAGS, summary="Inclusion proof", parameters=[InclusionInput],
                   responses={200: InclusionOutput, 400: ErrorOutput, 404: ErrorOutput})
    def get(self, request: Request) -> Response:
        data = InclusionInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        index, size = data.validated_data["index"], data.validated_data["size"]
        entry = LogEntry.objects.get(index=index)
        return Response({"index": index, "size": size, "leaf_hash": _b64hex(entry.leaf_hash),
                         "root": selectors.head(size).as_dict()["root"], "body": entry.body,
                         "proof": selectors.b64(selectors.inclusion_proof(index, size))})


class ConsistencyInput(serializers.Serializer):
    first = serializers.IntegerField(min_value=1)
    second = serializers.IntegerField(min_value=1, required=False, help_text="default: the current size")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        n = selectors.log_size()
        second = attrs.setdefault("second", n)
        if second > n:
            raise _beyond(n)
        if attrs["first"] > second:
            raise _invalid("first", _("较早的大小不能大于较晚的大小。"))
        return attrs


class ConsistencyOutput(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    first_root = serializers.CharField()
    second_root = serializers.CharField()
    proof = serializers.ListField(child=serializers.CharField(), help_text="base64 hashes, RFC 9162 2.1.4.1")


class LogConsistencyProofApi(APIView):
    """Proof that the tree of ``second`` entries extends the tree of ``first`` entries unchanged."""

    @extend_schema(tags=TAGS, summary="Consistency proof", parameters=[ConsistencyInput],
                   responses={200: ConsistencyOutput, 400: ErrorOutput, 404: ErrorOutput})
    def get(self, request: Request) -> Response:
        data = ConsistencyInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        first, second = data.validated_data["first"], data.validated_data["second"]
        return Response({"first": first, "second": second, "first_root": selectors.head(first).as_dict()["root"],
                         "second_root": selectors.head(second).as_dict()["root"],
                         "proof": selectors.b64(selectors.consistency_proof(first, second))})


# --- Instant verification of certificates and bulletin files ---------------------------------------------

class VerifyInput(serializers.Serializer):
    certificate = serializers.CharField(required=False, max_length=40, help_text="a certificate number")
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", required=False, help_text="a file's SHA-256 (hex)")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("certificate" in attrs) == ("sha256" in attrs):
            raise _invalid("certificate", _("请提供证书编号或文件 SHA-256 之一。"))
        return attrs


class VerifyOutput(serializers.Serializer):
    genuine = serializers.BooleanField()
    kind = serializers.CharField(help_text='"certificate", "bulletin" or "" when not genuine')
    certificate = serializers.JSONField(required=False)
    status_today = serializers.CharField(required=False)
    status_on_certificate_date = serializers.CharField(required=False)
    membership_ended_on = serializers.DateField(required=False, allow_null=True)
    bulletin = serializers.JSONField(required=False)


class VerifyLookupApi(APIView):
    """Is this certificate number or file hash genuine, and what is the organisation's status today?"""

    @extend_schema(tags=TAGS, summary="Verify a certificate number or a file hash", parameters=[VerifyInput],
                   responses={200: VerifyOutput, 400: ErrorOutput})
    def get(self, request: Request) -> Response:
        from .certificates import verify_certificate_number, verify_sha256

        data = VerifyInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        answer = (verify_certificate_number(v["certificate"]) if "certificate" in v else verify_sha256(v["sha256"]))
        return Response(answer.as_dict())


class VerifyFileInput(serializers.Serializer):
    file = serializers.FileField(help_text="a certificate PDF or a bulletin file; not stored")


class VerifyFileApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(tags=TAGS, summary="Verify an uploaded certificate or bulletin file",
                   request={"multipart/form-data": VerifyFileInput}, responses={200: VerifyOutput, 400: ErrorOutput})
    def post(self, request: Request) -> Response:
        from django.conf import settings

        from .certificates import verify_file

        data = VerifyFileInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise _invalid("file", _("文件过大。"))
        return Response(verify_file(upload.read()).as_dict())
