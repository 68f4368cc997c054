"""A minimal read-only admin for Art 15 feedback; the lead moves it into members/admin.py at merge."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from members.models import Feedback

if not admin.site.is_registered(Feedback):

    @admin.register(Feedback)
    class FeedbackAdmin(admin.ModelAdmin):
        list_display = ["subject", "organisation", "created_at", "read_at"]
        list_filter = ["read_at"]
        search_fields = ["subject", "body", "organisation__name"]
        readonly_fields = ["organisation", "author", "subject", "body", "created_at", "read_at"]
        date_hierarchy = "created_at"

        def has_add_permission(self, request: HttpRequest) -> bool:
            return False

        def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return False
