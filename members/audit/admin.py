"""Staff read the audit log; nobody adds, changes or deletes it. Superusers manage TOTP devices
through django_otp's own admin (registered by django_otp.plugins.otp_totp)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from members.core.admin import ReadOnlyMixin

from .models import AuditEntry, QueuedTask


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "model", "object_id", "source", "token_id", "changed"]
    list_filter = ["action", "model", "source", "actor_is_staff"]
    search_fields = ["model", "object_id", "actor_name", "request_id", "=token_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(QueuedTask)
class QueuedTaskAdmin(ReadOnlyAdmin):
    list_display = ["task", "args", "created_at", "sent_at", "attempts"]
    list_filter = ["task"]
    readonly_fields = [f.name for f in QueuedTask._meta.fields]


@admin.action(description=_("导出所选单位的全部数据（JSON）"), permissions=["view"])
def export_organisation_data(modeladmin: Any, request: HttpRequest, queryset: Any) -> HttpResponse:
    import json

    from . import export

    data = [export.organisation_data(org) for org in queryset]
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, cls=export.Encoder),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organisation-data.json"'
    response["Cache-Control"] = "private, no-store"
    from .recorder import record

    for org in queryset:
        record("export", model="members.organisation", object_id=org.pk, actor=request.user,
               note="admin action export_organisation_data")
    return response


def attach_export_action() -> None:
    """Add the export action to whichever Organisation admin is registered (members.admin)."""
    from members.models import Organisation

    model_admin = admin.site._registry.get(Organisation)
    if model_admin is None:
        return
    actions = list(model_admin.actions or [])
    if export_organisation_data not in actions:
        model_admin.actions = [*actions, export_organisation_data]


attach_export_action()

# Issue 15: API tokens in the admin, and the reset of a staff member's second-factor devices.
from .tokens import admin as _token_admin  # noqa: E402,F401
from .twofactor.admin import attach_reset_action  # noqa: E402

attach_reset_action()
