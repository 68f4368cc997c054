"""The association staff's workbench for the register. Every action calls the same services."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.admin import CaseHistoryInlineMixin, ReadOnlyMixin
from members.core.errors import DomainError
from members.core.localtime import local_time

from . import services
from . import uscc as uscc_rules
from .core.policy import actor_from_request, allows
from .core.transitions import allowed_moves
from .details.admin import OrganisationDetailsInline
from .models import (
    APPLICATION_MACHINE,
    ApplicationEvent,
    ApplicationState,
    Document,
    Feedback,
    JoinApplication,
    Membership,
    MembershipEvent,
    Organisation,
    Representative,
    Role,
    WithdrawalEvent,
    WithdrawalNotice,
    roles_to_text,
)
from .public.identity import SiteIdentity


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class MembershipEventInline(ReadOnlyInline):
    model = MembershipEvent
    fields = ("kind", "effective_date", "legal_basis", "reason_shown", "public_notice", "actor", "recorded",
              "document_sha256")
    readonly_fields = fields

    @admin.display(description=_("理由"))
    def reason_shown(self, obj: MembershipEvent) -> str:
        return obj.reason_text

    @admin.display(description=_("记录时间"))
    def recorded(self, obj: MembershipEvent) -> str:
        return local_time(obj.recorded_at)
    ordering = ("effective_date", "id")
    verbose_name_plural = _("成员资格事件（只增不改）")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "download", "content_type", "size", "sha256", "uploaded_at", "superseded")
    readonly_fields = fields

    @admin.display(description=_("文件"))
    def download(self, obj: Document) -> str:
        return format_html('<a href="{}">{}</a>', reverse("document_download", args=[obj.pk]), _("下载"))


class OrganisationForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ("uscc", "name", "name_en", "roles", "region", "website", "contact_name", "contact_phone",
                  "contact_email", "uscc_check_waived", "uscc_waiver_reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = self.instance.role_list
            # The code identifies the organisation and its history: it is not edited afterwards.
            self.fields["uscc"].disabled = True

    def clean_roles(self) -> str:
        return roles_to_text(self.cleaned_data["roles"])

    def clean_uscc(self) -> str:
        return uscc_rules.normalise(self.cleaned_data["uscc"])


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "uscc", "roles_display", "region", "status", "joined_on", "left_on")
    list_filter = ("status", "region", "uscc_check_waived")
    search_fields = ("name", "name_en", "=uscc")
    readonly_fields = ("status", "joined_on", "left_on", "uscc_waived_by", "created_at", "updated_at")
    inlines = [MembershipEventInline, OrganisationDetailsInline, DocumentInline]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("uscc", "name", "name_en", "roles", "region", "website")}),
        (_("联系人（不公开）"), {"fields": ("contact_name", "contact_phone", "contact_email")}),
        (_("代码校验豁免（试点早期代码）"), {"fields": ("uscc_check_waived", "uscc_waiver_reason", "uscc_waived_by")}),
        (_("成员状态（由事件记录推导）"), {"fields": ("status", "joined_on", "left_on", "created_at", "updated_at")}),
    )

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        return self.inlines if obj is not None else []  # a new organisation has no history yet

    @admin.display(description=_("角色"))
    def roles_display(self, obj: Organisation) -> str:
        return obj.get_roles_display()

    def save_model(self, request: HttpRequest, obj: Organisation, form: forms.ModelForm, change: bool) -> None:
        if not change:  # a new record has no public history yet
            if obj.uscc_check_waived:
                obj.uscc_waived_by = request.user  # type: ignore[assignment]
            super().save_model(request, obj, form, change)
            return
        # Through the service: a change of public details becomes a version valid from today.
        from .history import STAFF_FIELDS, organisation_details_change

        data = {f: form.cleaned_data[f] for f in form.changed_data if f in STAFF_FIELDS}
        if data:
            try:  # the form ran the same model validation: this is the last line of defence
                organisation_details_change(actor_from_request(request), obj, data=data)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the register keeps every organisation that ever had an event


@admin.register(Membership)
class MembershipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("organisation", "started_on", "ended_on", "end_kind")
    list_filter = ("end_kind",)
    search_fields = ("organisation__name", "=organisation__uscc")
    date_hierarchy = "started_on"
    list_select_related = ("organisation",)


class ApplicationEventInline(CaseHistoryInlineMixin, ReadOnlyInline):
    model = ApplicationEvent
    fields = readonly_fields = CaseHistoryInlineMixin.history_fields


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见（申请人可见）"), widget=forms.Textarea, required=True)


def _run(request: HttpRequest, fn: Callable[[], Any], ok: str) -> bool:
    try:
        fn()
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, ok)
    return True


@admin.register(JoinApplication)
class JoinApplicationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "state", "submitted_at", "sealed_verified", "decided_at")
    list_filter = ("state",)
    search_fields = ("organisation__name", "=organisation__uscc")
    list_select_related = ("organisation",)
    readonly_fields = ("organisation", "state", "created_by", "created_at", "submitted_at", "decided_at",
                       "staff_comment", "sealed_page_verified_by", "sealed_page_verified_at", "membership")
    fields = readonly_fields
    inlines = [DocumentInline, ApplicationEventInline]
    actions = ["start_review", "verify_sealed_page", "approve"]
    change_form_template = "admin/members/joinapplication/change_form.html"

    class DocumentInline(DocumentInline):
        fk_name = "application"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(boolean=True, description=_("签署页已核验"))
    def sealed_verified(self, obj: JoinApplication) -> bool:
        return obj.sealed_page_verified

    def _each(self, request: HttpRequest, queryset: QuerySet[JoinApplication], fn: Callable[..., Any],
              ok: str) -> None:
        actor = actor_from_request(request)
        for app in queryset:
            _run(request, partial(fn, actor, app), f"{app.organisation.name}：{ok}")

    @admin.action(description=_("开始审核"), permissions=["change"])
    def start_review(self, request: HttpRequest, queryset: QuerySet[JoinApplication]) -> None:
        self._each(request, queryset, services.application_start_review, str(_("已开始审核")))

    @admin.action(description=_("核验签署页（已核对公章）"), permissions=["change"])
    def verify_sealed_page(self, request: HttpRequest, queryset: QuerySet[JoinApplication]) -> None:
        self._each(request, queryset, services.application_verify_sealed_page, str(_("签署页已核验")))

    @admin.action(description=_("批准（成员资格自今日开始）"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[JoinApplication]) -> None:
        self._each(request, queryset, services.application_approve, str(_("已批准，成员资格开始")))

    def get_urls(self) -> list[Any]:
        from django.urls import path

        info = self.opts.app_label, self.opts.model_name
        return [
            path("<int:pk>/decide/<str:action>/", self.admin_site.admin_view(self.decide_view),
                 name=f"{info[0]}_{info[1]}_decide"),
        ] + super().get_urls()

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        app = self.get_object(request, object_id)
        moves: list[str] = []
        if app is not None:
            # The buttons come from the transition table and the policy, never from a rule of their own.
            actor = actor_from_request(request)
            moves = allowed_moves(actor, APPLICATION_MACHINE, app)
            if app.state == ApplicationState.UNDER_REVIEW and allows(actor, "application.verify_sealed_page", app):
                moves.append("verify_sealed_page")
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "moves": moves})

    def decide_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        """Return or reject with a comment the applicant will read; the other moves need none."""
        app = self.get_object(request, str(pk))
        if app is None:
            return HttpResponseRedirect(reverse("admin:members_joinapplication_changelist"))
        actor = actor_from_request(request)
        change_url = reverse("admin:members_joinapplication_change", args=[pk])
        simple = {
            "start_review": (services.application_start_review, _("已开始审核")),
            "verify_sealed_page": (services.application_verify_sealed_page, _("签署页已核验")),
            "approve": (services.application_approve, _("已批准，成员资格开始")),
        }
        with_comment = {
            "return": (services.application_return, _("退回修改"), _("已退回申请人修改")),
            "reject": (services.application_reject, _("拒绝申请"), _("已拒绝")),
        }
        if action == "verify_sealed_page" and request.method == "POST" and not request.POST.get("confirmed"):
            # Look before sealing it as verified: the page shows the document and asks for confirmation.
            context = {**self.admin_site.each_context(request), "opts": self.opts, "original": app,
                       "title": _("核验签署页"), "documents": app.documents.filter(superseded=False).order_by("kind")}
            return TemplateResponse(request, "admin/members/joinapplication/verify.html", context)
        if action in simple and request.method == "POST":
            fn, ok = simple[action]
            _run(request, lambda: fn(actor, app), str(ok))
            return HttpResponseRedirect(change_url)
        if action not in with_comment:
            return HttpResponseRedirect(change_url)
        fn_c, title, ok = with_comment[action]
        form = CommentForm(request.POST or None)
        if (request.method == "POST" and form.is_valid()
                and _run(request, lambda: fn_c(actor, app, comment=form.cleaned_data["comment"]), str(ok))):
            return HttpResponseRedirect(change_url)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": app, "form": form,
                   "title": title, "action": action}
        return TemplateResponse(request, "admin/members/joinapplication/decide.html", context)


class WithdrawalEventInline(CaseHistoryInlineMixin, ReadOnlyInline):
    model = WithdrawalEvent
    fields = readonly_fields = CaseHistoryInlineMixin.history_fields


class AcknowledgeForm(forms.Form):
    effective_date = forms.DateField(
        label=_("退出生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("默认为该单位希望的生效日期；不得早于提交退出通知之日。"),
        error_messages={"invalid": _("请输入有效的日期，格式为 年-月-日，例如 2025-06-30。")})


@admin.register(WithdrawalNotice)
class WithdrawalNoticeAdmin(admin.ModelAdmin):
    list_display = ("organisation", "state", "filed_at", "requested_date", "effective_date")
    list_filter = ("state",)
    search_fields = ("organisation__name", "=organisation__uscc")
    list_select_related = ("organisation",)
    readonly_fields = ("organisation", "membership", "state", "reason", "requested_date", "effective_date",
                       "filed_by", "filed_at", "acknowledged_by", "acknowledged_at")
    fields = readonly_fields
    inlines = [WithdrawalEventInline]
    actions = ["acknowledge"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    change_form_template = "admin/members/withdrawalnotice/change_form.html"

    def get_urls(self) -> list[Any]:
        from django.urls import path

        return [path("<int:pk>/acknowledge/", self.admin_site.admin_view(self.acknowledge_view),
                     name="members_withdrawalnotice_acknowledge"), *super().get_urls()]

    def acknowledge_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The notice's own page for acknowledging it on a chosen date (by default the date the member
        asked for); the service decides whether that date is allowed and says why not."""
        notice = self.get_object(request, str(pk))
        if notice is None or not self.has_change_permission(request, notice):
            return HttpResponseRedirect(reverse("admin:members_withdrawalnotice_changelist"))
        change_url = reverse("admin:members_withdrawalnotice_change", args=[pk])
        form = AcknowledgeForm(request.POST or None,
                               initial={"effective_date": notice.requested_date or clock.today()})
        if request.method == "POST" and form.is_valid():
            try:
                services.withdrawal_acknowledge(actor_from_request(request), notice,
                                                effective_date=form.cleaned_data["effective_date"])
            except DomainError as exc:
                form.add_error("effective_date" if exc.field == "effective_date" else None, str(exc.message))
            else:
                messages.success(request, f"{notice.organisation.name}：{_('退出已确认')}")
                return HttpResponseRedirect(change_url)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": notice,
                   "form": form, "title": _("确认退出")}
        return TemplateResponse(request, "admin/members/withdrawalnotice/acknowledge.html", context)

    @admin.action(description=_("确认退出（自今日生效）"), permissions=["change"])
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[WithdrawalNotice]) -> None:
        actor = actor_from_request(request)
        for notice in queryset.select_related("organisation"):
            _run(request, partial(services.withdrawal_acknowledge, actor, notice),
                 f"{notice.organisation.name}：{_('退出已确认')}")


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("organisation", "kind", "effective_date", "legal_basis", "actor", "recorded_at")
    list_filter = ("kind", "legal_basis")
    search_fields = ("organisation__name", "=organisation__uscc")
    date_hierarchy = "effective_date"
    list_select_related = ("organisation", "actor")


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "is_primary", "created_at")
    search_fields = ("user__email", "organisation__name", "=organisation__uscc")
    list_select_related = ("user", "organisation")
    raw_id_fields = ("user", "organisation")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("subject", "organisation", "created_at", "read_at")
    readonly_fields = ("organisation", "author", "subject", "body", "created_at")
    fields = ("organisation", "author", "subject", "body", "created_at", "read_at")
    list_select_related = ("organisation",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """The footer's one row: staff add it once, then edit it (issue 13)."""

    list_display = ("executive_body", "icp_filing", "psb_filing")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


