"""The complaint officers' desk in the admin: read-only records plus one case page per complaint or dispute
where every action is a small form that calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.core.errors import DomainError

from . import services
from .forms import AssignForm, CorrectionIssueForm, InternalNoticeForm, RevokeForm, TextForm
from .models import (
    COMPLAINT_TRANSITIONS,
    DISPUTE_TRANSITIONS,
    Complaint,
    ComplaintState,
    CorrectionOrder,
    CorrectionState,
    Dispute,
    DisputeState,
    Evidence,
    InternalNotice,
)
from .selectors import reporter_masked

REPORTER_FIELDS = ("reporter_name", "reporter_email", "reporter_phone", "reporter_purged_at")
CONTACT_PERM = "complaints.view_reporter_contact"

# action -> (form class, label, service call). The service decides whether the move is allowed.
Action = tuple[type[forms.Form], Any, Callable[..., Any]]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records change only through the case page's services; the change form is a read-only view.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


class CasePageMixin:
    """A /<pk>/case/ page with one form per action; POST runs the named action's service."""

    case_template = ""
    model: Any
    admin_site: Any

    def case_actions(self, obj: Any) -> dict[str, Action]:
        raise NotImplementedError

    def case_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_case"
        extra = [path("<int:pk>/case/", self.admin_site.admin_view(self.case_view), name=name)]
        return extra + super().get_urls()  # type: ignore[misc]

    def case_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        opts = self.model._meta
        if not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=pk)
        actions = self.case_actions(obj)
        forms_by_action = {name: form_cls(prefix=name) for name, (form_cls, _label, _call) in actions.items()}
        if request.method == "POST":
            name = request.POST.get("action", "")
            if name not in actions:
                raise Http404
            form_cls, _label, call = actions[name]
            form = form_cls(request.POST, prefix=name)
            forms_by_action[name] = form
            if form.is_valid():
                try:
                    call(obj, request.user, form.cleaned_data, request.POST)
                except DomainError as exc:
                    field = exc.field if exc.field in form.fields else None
                    form.add_error(field, str(exc.message))
                else:
                    messages.success(request, _("已完成：%(a)s") % {"a": _label})
                    return redirect(request.path)
        context = {
            **self.admin_site.each_context(request), "opts": opts, "obj": obj, "title": str(obj),
            "action_forms": [(name, actions[name][1], forms_by_action[name]) for name in actions],
            **self.case_context(request, obj),
        }
        return TemplateResponse(request, self.case_template, context)

    def case_link(self, obj: Any) -> str:
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_case", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("办理"))

    case_link.short_description = _("办理")  # type: ignore[attr-defined]


def _text(data: dict[str, Any]) -> str:
    return data.get("text") or ""


@admin.register(Complaint)
class ComplaintAdmin(CasePageMixin, ReadOnlyAdmin):
    case_template = "complaints/admin/complaint_case.html"
    change_form_template = "complaints/admin/change_form.html"
    list_display = ("__str__", "organisation", "state", "assigned_to", "received_at", "reporter", "case_link")
    list_filter = ("state", "assigned_to")
    search_fields = ("organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "assigned_to")
    date_hierarchy = "received_at"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        fields = [f.name for f in self.model._meta.fields if f.name not in ("id", "tracking_hash")]
        if not request.user.has_perm(CONTACT_PERM):
            fields = [f for f in fields if f not in REPORTER_FIELDS]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_fields(request, obj)

    @admin.display(description=_("举报人（已遮蔽）"))
    def reporter(self, obj: Complaint) -> str:
        return reporter_masked(obj) or str(_("匿名"))

    def case_actions(self, obj: Complaint) -> dict[str, Action]:
        acts: dict[str, Action] = {}
        state = obj.state
        if state in COMPLAINT_TRANSITIONS["start_verification"]:
            acts["start_verification"] = (TextForm, _("开始查证核实"),
                                          lambda c, u, d, p: services.complaint_start_verification(c, user=u))
        if state in COMPLAINT_TRANSITIONS["close_unfounded"]:
            acts["close_unfounded"] = (TextForm, _("查证不属实，结案（理由举报人可见）"),
                                       lambda c, u, d, p: services.complaint_close_unfounded(c, user=u, reason=_text(d)))
            acts["substantiate"] = (TextForm, _("查证属实（结论举报人可见）"),
                                    lambda c, u, d, p: services.complaint_substantiate(c, user=u, finding=_text(d)))
        if state == ComplaintState.SUBSTANTIATED:
            acts["correction_order"] = (CorrectionIssueForm, _("下达整改通知"),
                                        lambda c, u, d, p: services.correction_order_issue(c, user=u, **d))
            acts["internal_notice"] = (InternalNoticeForm, _("发布内部通报"),
                                       lambda c, u, d, p: services.internal_notice_issue(c, user=u, **d))
            if obj.revocation_event_id is None:
                acts["revoke"] = (RevokeForm, _("取消成员资格并向社会通报"),
                                  lambda c, u, d, p: services.complaint_revoke_membership(c, user=u, **d))
            orders = obj.corrections.filter(state__in=[CorrectionState.ISSUED, CorrectionState.ANSWERED])
            for order in orders:
                if order.state == CorrectionState.ANSWERED:
                    acts[f"accept_{order.pk}"] = (
                        TextForm, _("认可整改：%(o)s") % {"o": order},
                        lambda c, u, d, p, o=order: services.correction_accept(o, user=u, comment=_text(d)))
                acts[f"escalate_{order.pk}"] = (
                    TextForm, _("整改升级处理：%(o)s") % {"o": order},
                    lambda c, u, d, p, o=order: services.correction_escalate(o, user=u, comment=_text(d)))
        acts["assign"] = (AssignForm, _("指派承办人"),
                          lambda c, u, d, p: services.complaint_assign(c, user=u, assignee=d["assignee"]))
        acts["note"] = (TextForm, _("添加内部备注"), lambda c, u, d, p: services.complaint_add_note(c, user=u, note=_text(d)))
        return acts

    def case_context(self, request: HttpRequest, obj: Complaint) -> dict[str, Any]:
        return {
            "show_contact": request.user.has_perm(CONTACT_PERM),
            "events": obj.events.select_related("actor").order_by("at", "id"),
            "evidence": obj.evidence.all(),
            "corrections": obj.corrections.all(),
            "internal_notices": obj.internal_notices.all(),
        }

    def get_urls(self) -> list[URLPattern]:
        extra = [path("evidence/<int:pk>/", self.admin_site.admin_view(self.evidence_download),
                      name="complaints_evidence_download")]
        return extra + super().get_urls()

    def evidence_download(self, request: HttpRequest, pk: int) -> FileResponse:
        if not request.user.has_perm("complaints.view_evidence"):
            raise PermissionDenied
        ev = get_object_or_404(Evidence, pk=pk)
        response = FileResponse(ev.file.open("rb"), as_attachment=True, content_type=ev.content_type,
                                filename=f"evidence-{ev.complaint_id}-{ev.pk}.{ev.content_type.rsplit('/', 1)[-1]}")
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(Dispute)
class DisputeAdmin(CasePageMixin, ReadOnlyAdmin):
    case_template = "complaints/admin/dispute_case.html"
    change_form_template = "complaints/admin/change_form.html"
    list_display = ("__str__", "subject", "requester", "respondent", "state", "requested_at", "case_link")
    list_filter = ("state",)
    search_fields = ("subject", "requester__name", "respondent__name")
    list_select_related = ("requester", "respondent")

    def case_actions(self, obj: Dispute) -> dict[str, Action]:
        acts: dict[str, Action] = {}
        if obj.state in DISPUTE_TRANSITIONS["start_mediation"]:
            acts["start_mediation"] = (TextForm, _("开始调解"),
                                       lambda d_, u, d, p: services.dispute_start_mediation(d_, user=u, comment=_text(d)))
        if obj.state == DisputeState.IN_MEDIATION:
            acts["step"] = (TextForm, _("记录调解经过（双方可见）"),
                            lambda d_, u, d, p: services.dispute_record_step(d_, user=u, step=_text(d)))
            acts["settle"] = (TextForm, _("调解成功"),
                              lambda d_, u, d, p: services.dispute_settle(d_, user=u, outcome=_text(d)))
            acts["not_settle"] = (TextForm, _("调解不成"),
                                  lambda d_, u, d, p: services.dispute_not_settle(d_, user=u, outcome=_text(d)))
        if obj.state in DISPUTE_TRANSITIONS["withdraw"]:
            acts["withdraw"] = (TextForm, _("申请方撤回"),
                                lambda d_, u, d, p: services.dispute_withdraw(d_, user=u, reason=_text(d)))
        return acts

    def case_context(self, request: HttpRequest, obj: Dispute) -> dict[str, Any]:
        return {"events": obj.events.select_related("actor").order_by("at", "id")}


@admin.register(CorrectionOrder)
class CorrectionOrderAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organisation", "deadline", "state", "overdue_flagged_at", "complaint")
    list_filter = ("state", ("overdue_flagged_at", admin.EmptyFieldListFilter))
    list_select_related = ("organisation", "complaint")


@admin.register(InternalNotice)
class InternalNoticeAdmin(ReadOnlyAdmin):
    list_display = ("title", "organisation", "published_at", "complaint")
    list_select_related = ("organisation", "complaint")
