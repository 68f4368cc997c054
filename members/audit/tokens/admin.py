"""Admin: staff see every API token (never its secret) and revoke tokens; nobody adds or edits one here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from members.core.errors import DomainError
from members.core.policy import actor_from_request

from . import services
from .models import ApiToken


@admin.action(description=_("撤销所选令牌"), permissions=["change"])
def revoke_tokens(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    done = 0
    for token in queryset.filter(revoked_at__isnull=True):
        try:
            services.token_revoke(actor_from_request(request), token.pk)
        except DomainError as exc:
            modeladmin.message_user(request, f"{token}: {exc.message}", messages.ERROR)
        else:
            done += 1
    modeladmin.message_user(request, _("已撤销 %(n)d 个令牌。") % {"n": done}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "masked", "scope", "created_at", "expires_at", "last_used_at", "revoked_at",
                    "created_in_verified_session"]
    list_filter = ["scope", "created_in_verified_session", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    actions = [revoke_tokens]
    exclude = ["key_hash"]
    readonly_fields = ["user", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at",
                       "revoked_by", "created_in_verified_session"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token is issued by its owner (portal or API), so the owner is the one who sees it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, never deleted: the audit log refers to it
