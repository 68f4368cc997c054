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
from members.core.policy import Actor, actor_from_request, allows
from members.core.transitions import allowed_moves

from . import services
from .forms import AssignForm, CorrectionIssueForm, InternalNoticeForm, RevokeForm, TextForm
from .models import (
    COMPLAINT_MACHINE,
    CORRECTION_MACHINE,
    DISPUTE_MACHINE,
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
    """A /<pk>/case/ page with one form per action; POST runs the named action's service.

    The forms offered are the moves the transition table allows from the case's state that the policy
    lets this actor make; the service checks both again when the form is posted.
    """

    case_template = ""
    case_permission = ""  # the policy's read action for the case page
    model: Any
    admin_site: Any

    def case_actions(self, actor: Actor, obj: Any) -> dict[str, Action]:
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
        obj = get_object_or_404(self.model, pk=pk)
        actor = actor_from_request(request)
        if not allows(actor, self.case_permission, obj):
            raise PermissionDenied
        actions = self.case_actions(actor, obj)
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
                    call(obj, actor, form.cleaned_data, request.POST)
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
    case_permission = "complaint.view_case"
    change_form_template = "complaints/admin/change_form.html"
    list_display = ("__str__", "organisation", "state", "assigned_to", "received_at", "reporter", "case_link")
    list_filter = ("state", "assigned_to")
    search_fields = ("organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "assigned_to")
    date_hierarchy = "received_at"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        fields = [f.name for f in self.model._meta.fields if f.name not in ("id", "tracking_hash")]
        if not allows(actor_from_request(request), "reporter_contact.view", obj):
            fields = [f for f in fields if f not in REPORTER_FIELDS]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_fields(request, obj)

    @admin.display(description=_("举报人（已遮蔽）"))
    def reporter(self, obj: Complaint) -> str:
        return reporter_masked(obj) or str(_("匿名"))

    def case_actions(self, actor: Actor, obj: Complaint) -> dict[str, Action]:
        moves = {
            "start_verification": (TextForm, _("开始查证核实"),
                                   lambda c, a, d, p: services.complaint_start_verification(a, c)),
            "close_unfounded": (TextForm, _("查证不属实，结案（理由举报人可见）"),
                                lambda c, a, d, p: services.complaint_close_unfounded(a, c, reason=_text(d))),
            "substantiate": (TextForm, _("查证属实（结论举报人可见）"),
                             lambda c, a, d, p: services.complaint_substantiate(a, c, finding=_text(d))),
        }
        acts: dict[str, Action] = {m: moves[m] for m in allowed_moves(actor, COMPLAINT_MACHINE, obj)}
        if obj.state == ComplaintState.SUBSTANTIATED:
            measures: dict[str, tuple[str, Action]] = {
                "correction_order": ("correction.issue", (CorrectionIssueForm, _("下达整改通知"),
                                     lambda c, a, d, p: services.correction_order_issue(a, c, **d))),
                "internal_notice": ("internal_notice.issue", (InternalNoticeForm, _("发布内部通报"),
                                    lambda c, a, d, p: services.internal_notice_issue(a, c, **d))),
            }
            if obj.revocation_event_id is None:
                measures["revoke"] = ("complaint.revoke_membership", (
                    RevokeForm, _("取消成员资格并向社会通报"),
                    lambda c, a, d, p: services.complaint_revoke_membership(a, c, **d)))
            acts.update({name: act for name, (action, act) in measures.items() if allows(actor, action, obj)})
            orders = obj.corrections.filter(state__in=[CorrectionState.ISSUED, CorrectionState.ANSWERED])
            for order in orders:
                allowed = allowed_moves(actor, CORRECTION_MACHINE, order)
                if "accept" in allowed:
                    acts[f"accept_{order.pk}"] = (
                        TextForm, _("认可整改：%(o)s") % {"o": order},
                        lambda c, a, d, p, o=order: services.correction_accept(a, o, comment=_text(d)))
                if "escalate" in allowed:
                    acts[f"escalate_{order.pk}"] = (
                        TextForm, _("整改升级处理：%(o)s") % {"o": order},
                        lambda c, a, d, p, o=order: services.correction_escalate(a, o, comment=_text(d)))
        if allows(actor, "complaint.assign", obj):
            acts["assign"] = (AssignForm, _("指派承办人"),
                              lambda c, a, d, p: services.complaint_assign(a, c, assignee=d["assignee"]))
        if allows(actor, "complaint.note", obj):
            acts["note"] = (TextForm, _("添加内部备注"),
                            lambda c, a, d, p: services.complaint_add_note(a, c, note=_text(d)))
        return acts

    def case_context(self, request: HttpRequest, obj: Complaint) -> dict[str, Any]:
        return {
            "show_contact": allows(actor_from_request(request), "reporter_contact.view", obj),
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
        ev = get_object_or_404(Evidence, pk=pk)
        if not allows(actor_from_request(request), "evidence.view", ev):
            raise PermissionDenied
        response = FileResponse(ev.file.open("rb"), as_attachment=True, content_type=ev.content_type,
                                filename=f"evidence-{ev.complaint_id}-{ev.pk}.{ev.content_type.rsplit('/', 1)[-1]}")
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(Dispute)
class DisputeAdmin(CasePageMixin, ReadOnlyAdmin):
    case_template = "complaints/admin/dispute_case.html"
    case_permission = "dispute.view_case"
    change_form_template = "complaints/admin/change_form.html"
    list_display = ("__str__", "subject", "requester", "respondent", "state", "requested_at", "case_link")
    list_filter = ("state",)
    search_fields = ("subject", "requester__name", "respondent__name")
    list_select_related = ("requester", "respondent")

    def case_actions(self, actor: Actor, obj: Dispute) -> dict[str, Action]:
        moves: dict[str, Action] = {
            "start_mediation": (TextForm, _("开始调解"),
                                lambda d_, a, d, p: services.dispute_start_mediation(a, d_, comment=_text(d))),
            "settle": (TextForm, _("调解成功"), lambda d_, a, d, p: services.dispute_settle(a, d_, outcome=_text(d))),
            "not_settle": (TextForm, _("调解不成"),
                           lambda d_, a, d, p: services.dispute_not_settle(a, d_, outcome=_text(d))),
            "withdraw": (TextForm, _("申请方撤回"),
                         lambda d_, a, d, p: services.dispute_withdraw(a, d_, reason=_text(d))),
        }
        acts = {m: moves[m] for m in allowed_moves(actor, DISPUTE_MACHINE, obj)}
        if obj.state == DisputeState.IN_MEDIATION and allows(actor, "dispute.step", obj):
            # A step keeps the state: offered while mediation runs, before the closing moves.
            acts = {"step": (TextForm, _("记录调解经过（双方可见）"),
                             lambda d_, a, d, p: services.dispute_record_step(a, d_, step=_text(d))), **acts}
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
