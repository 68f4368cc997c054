"""Input and output shapes of the register's API. Public outputs carry public fields only."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import (
    JoinApplication,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Organisation,
    Role,
    WithdrawalNotice,
)
from members.public.selectors import region_name, status_display


class StrictCharField(serializers.CharField):
    """Text that must arrive as a JSON string, as the schema says: DRF's CharField turns 0 into "0"."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


@extend_schema_field({"type": "string", "format": "uscc", "maxLength": 40,
                     "description": "统一社会信用代码 (GB 32100-2015, check characters included)"})
class UsccField(StrictCharField):
    """A USCC as input: its check characters are verified by the service, which the schema's ``format``
    names (JSON Schema cannot compute a checksum)."""


class OrganisationOutput(serializers.ModelSerializer):
    uscc = serializers.CharField(source="public_uscc", help_text="个体工商户（92开头）的代码以掩码显示")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), source="role_list")
    region_name = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    status_display = serializers.SerializerMethodField()
    profile_url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["uscc", "name", "name_en", "roles", "region", "region_name", "website", "status",
                  "status_display", "joined_on", "left_on", "profile_url"]

    def to_representation(self, instance: Organisation) -> dict[str, object]:
        """The fields above, built directly: DRF's generic path (a field object per value, resolved by
        source) was most of a cold API page. ``tests/api`` checks both give the same dict."""
        return {
            "uscc": instance.public_uscc, "name": instance.name, "name_en": instance.name_en,
            "roles": instance.role_list, "region": instance.region, "region_name": region_name(instance.region),
            "website": instance.website, "status": instance.status, "status_display": status_display(instance.status),
            "joined_on": instance.joined_on.isoformat() if instance.joined_on else None,
            "left_on": instance.left_on.isoformat() if instance.left_on else None,
            "profile_url": self.get_profile_url(instance),
        }

    def get_region_name(self, obj: Organisation) -> str:
        return region_name(obj.region)

    def get_status_display(self, obj: Organisation) -> str:
        return status_display(obj.status)

    def get_profile_url(self, obj: Organisation) -> str:
        # One reverse() per page, not per row: the profile URL differs only by the id at its end.
        root = self.root
        prefix = getattr(root, "_profile_prefix", None)
        if prefix is None:
            prefix = reverse("public:profile", args=[0])[:-2]
            root._profile_prefix = prefix  # type: ignore[attr-defined]
        return f"{prefix}{obj.pk}/"


class PeriodOutput(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["started_on", "ended_on", "end_kind"]


class EventOutput(serializers.ModelSerializer):
    public_notice = serializers.SerializerMethodField()
    superseded_on = serializers.SerializerMethodField(
        help_text="a scheduled end overtaken by an earlier revocation: that revocation's date (it never took effect)")

    class Meta:
        model = MembershipEvent
        fields = ["kind", "effective_date", "legal_basis", "public_notice", "superseded_on"]

    def get_superseded_on(self, obj: MembershipEvent) -> date | None:
        by = getattr(obj, "superseded_by_event", None)
        return by.effective_date if by is not None else None

    def get_public_notice(self, obj: MembershipEvent) -> str:
        # Only a revocation's notice is published (Art 21); nothing else of an event's text is public.
        return obj.public_notice if obj.kind == MembershipEvent.Kind.REVOKED else ""


class OrganisationDetailOutput(OrganisationOutput):
    periods = PeriodOutput(many=True, source="public_periods")
    events = EventOutput(many=True, source="public_events")

    class Meta(OrganisationOutput.Meta):
        fields = [*OrganisationOutput.Meta.fields, "periods", "events"]

    # One organisation per answer: DRF's generic path, over every field declared here.
    to_representation = serializers.ModelSerializer.to_representation


class StatusQuery(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="YYYY-MM-DD，默认今天")


class SupersededDetailsOutput(serializers.Serializer):
    """A details version a correction superseded: what was registered, and when it was corrected."""

    name = serializers.CharField()
    name_en = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    region = serializers.CharField()
    corrected_at = serializers.DateTimeField()


class StatusOutput(serializers.Serializer):
    uscc = serializers.CharField()
    on = serializers.DateField()
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    status_display = serializers.CharField()
    is_signatory = serializers.BooleanField()
    name = serializers.CharField(help_text="the registered name on that date")
    name_en = serializers.CharField(help_text="the English name on that date")
    roles = serializers.ListField(child=serializers.CharField(), help_text="roles on that date")
    region = serializers.CharField(help_text="province-level region code on that date")
    scheduled_end = serializers.DateField(allow_null=True, help_text="for today or a later date: an end already recorded for a later day")
    details_corrected = serializers.BooleanField(help_text="the details of that date were corrected after publication")
    details_superseded = SupersededDetailsOutput(many=True, help_text="the versions the correction superseded, oldest first")


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(  # type: ignore[assignment]  # the error shape's key
        child=serializers.ListField(child=serializers.CharField()))


class ErrorOutput(serializers.Serializer):
    error = ErrorDetail()


# --- Staff actions ---------------------------------------------------------------------------------

class CommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class AcknowledgeInput(serializers.Serializer):
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class ApplicationOutput(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    uscc = serializers.CharField(source="organisation.uscc")
    sealed_page_verified = serializers.BooleanField()

    class Meta:
        model = JoinApplication
        fields = ["id", "organisation", "uscc", "state", "submitted_at", "decided_at", "staff_comment",
                  "sealed_page_verified", "sealed_page_verified_at"]


class WithdrawalOutput(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    uscc = serializers.CharField(source="organisation.uscc")

    class Meta:
        model = WithdrawalNotice
        fields = ["id", "organisation", "uscc", "state", "requested_date", "effective_date", "acknowledged_at"]
