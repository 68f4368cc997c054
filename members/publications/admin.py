"""Admin for bulletins: read-only rows, "publish now" for a period, requeue a failed one, correct one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from members.core.errors import DomainError
from members.core.policy import actor_from_request, allows

from . import services
from .models import Publication, PublicationFile, PublicationState
from .selectors import parse_period


class PublishNowForm(forms.Form):
    period = forms.RegexField(label=_("期间（首月）"), regex=r"^\d{4}-\d{2}$", help_text=_("格式：YYYY-MM，例如 2026-10"))
    months = forms.IntegerField(label=_("期间长度（月）"), min_value=1, max_value=12, initial=1)


class PublicationFileInline(admin.TabularInline):
    model = PublicationFile
    extra = 0
    can_delete = False
    fields = ("kind", "path", "sha256", "size")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("number", "period_label", "state", "corrects", "page_count", "attempts", "claimed_at",
                    "published_at")
    list_filter = ("state",)
    readonly_fields = ("number", "period_start", "period_end", "corrects", "state", "created_at", "created_by",
                       "queued_at", "claimed_at", "attempts", "published_at", "page_count", "error")
    fields = readonly_fields
    inlines = [PublicationFileInline]
    actions = ["requeue_stuck", "publish_correction"]
    change_list_template = "publications/admin_change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # bulletins are created through "publish now" or the schedule, never by hand

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [path("publish-now/", self.admin_site.admin_view(self.publish_now_view),
                     name="publications_publication_publish_now"), *super().get_urls()]

    def _may_publish(self, request: HttpRequest) -> bool:
        return allows(actor_from_request(request), "publication.request")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "may_publish": self._may_publish(request)}
        return super().changelist_view(request, extra_context)

    def publish_now_view(self, request: HttpRequest) -> HttpResponse:
        if not self._may_publish(request):
            raise PermissionDenied
        form = PublishNowForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                start, end = parse_period(form.cleaned_data["period"], form.cleaned_data["months"])
            except ValueError:
                form.add_error("period", _("请输入有效的年月。"))
            else:
                try:
                    pub, created = services.publication_request(actor_from_request(request),
                                                                period_start=start, period_end=end)
                except DomainError as exc:
                    form.add_error("period" if exc.field == "period" else None, str(exc.message))
                else:
                    if created:
                        self.message_user(request, _("已创建第 %(n)s 期名单公告并排队生成。") % {"n": pub.number})
                    else:
                        self.message_user(request, _("该期间已有第 %(n)s 期名单公告（%(s)s）。")
                                          % {"n": pub.number, "s": pub.get_state_display()}, messages.WARNING)
                    return HttpResponseRedirect(reverse("admin:publications_publication_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("立即发布名单公告")}
        return TemplateResponse(request, "publications/admin_publish_now.html", context)

    @admin.action(description=_("重新排队生成（失败、排队中或生成超时的公告）"), permissions=["publish"])
    def requeue_stuck(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        done = 0
        actor = actor_from_request(request)
        for pub in queryset.exclude(state=PublicationState.PUBLISHED):
            try:
                services.publication_requeue(actor, pub)
            except DomainError as exc:
                self.message_user(request, f"{pub}: {exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("已重新排队 %(n)s 期。") % {"n": done})

    @admin.action(description=_("发布更正公告（同一期间重新生成）"), permissions=["publish"])
    def publish_correction(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        actor = actor_from_request(request)
        for pub in queryset:
            try:
                new = services.publication_correct(actor, pub)
            except DomainError as exc:
                self.message_user(request, f"{pub}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("已创建第 %(n)s 期（更正第 %(o)s 期）。") % {"n": new.number, "o": pub.number})

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self._may_publish(request)
