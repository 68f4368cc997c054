"""The staff page that corrects a published details version. The service decides and records it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.core.admin import ReadOnlyMixin
from members.core.errors import DomainError
from members.core.localtime import local_time
from members.core.policy import actor_from_request, allows
from members.models import Role
from members.regions import REGIONS

from .models import OrganisationDetails


class OrganisationDetailsInline(ReadOnlyMixin, admin.TabularInline):
    """The public details as they were on each date (bulletins and status on a date read these)."""

    model = OrganisationDetails
    extra, can_delete, show_change_link = 0, False, False
    fields = ("valid_from", "name", "name_en", "roles", "region", "uscc_public", "recorded", "actor", "reason_shown",
              "corrects", "correct_link")
    readonly_fields = fields

    @admin.display(description=_("更正"))
    def correct_link(self, obj: OrganisationDetails) -> str:
        if OrganisationDetails.objects.filter(corrects=obj).exists():
            return str(_("已被更正取代"))
        return format_html('<a href="{}">{}</a>', reverse("admin:members_organisationdetails_correct", args=[obj.pk]),
                           _("更正此版本"))

    @admin.display(description=_("说明"))
    def reason_shown(self, obj: OrganisationDetails) -> str:
        return obj.reason_text

    @admin.display(description=_("记录时间"))
    def recorded(self, obj: OrganisationDetails) -> str:
        return local_time(obj.recorded_at)


class DetailsCorrectionForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    name_en = forms.CharField(label=_("英文名称"), max_length=300, required=False)
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    region = forms.ChoiceField(label=_("所在省级行政区"), choices=REGIONS)
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("说明原登记错在哪里、依据什么更正（内部记录，不公开）。"))


@admin.register(OrganisationDetails)
class OrganisationDetailsAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("organisation", "valid_from", "name", "corrects", "recorded_at", "actor")
    search_fields = ("name", "organisation__name", "=organisation__uscc")
    list_select_related = ("organisation", "actor", "corrects")
    fields = ("organisation", "valid_from", "name", "name_en", "roles", "region", "uscc_public", "corrects",
              "recorded_at", "actor", "reason")
    readonly_fields = fields
    change_form_template = "admin/members/organisationdetails/change_form.html"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("members.view_organisation"))

    def get_urls(self) -> list[Any]:
        return [path("<int:pk>/correct/", self.admin_site.admin_view(self.correct_view),
                     name="members_organisationdetails_correct"), *super().get_urls()]

    def correct_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Correct this version: a new version for the same days is appended (``details_correct``)."""
        from members.history import details_correct

        version = OrganisationDetails.objects.select_related("organisation").filter(pk=pk).first()
        if version is None or not allows(actor_from_request(request), "organisation.details_correct",
                                         version.organisation):
            return HttpResponseRedirect(reverse("admin:index"))
        initial = {"name": version.name, "name_en": version.name_en, "roles": version.role_list,
                   "region": version.region}
        form = DetailsCorrectionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = {f: form.cleaned_data[f] for f in ("name", "name_en", "roles", "region")}
            try:
                details_correct(actor_from_request(request), version, data=data, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("已追加更正版本；原版本保留并标记为已被更正取代。"))
                return HttpResponseRedirect(reverse("admin:members_organisation_change", args=[version.organisation_id]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": version, "form": form,
                   "title": _("更正公开信息版本")}
        return TemplateResponse(request, "admin/members/organisationdetails/correct.html", context)
