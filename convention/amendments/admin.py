"""Staff surface of Art 24: executive-body proposals, opening ballots, watching the tally.

Every state change goes through ``amendment_services``; the admin never edits votes or the electorate.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convention.amendments import services
from convention.amendments.models import (
    PROPOSAL_MACHINE,
    Ballot,
    ElectorateMember,
    Proposal,
    ProposalChange,
    ProposalEvent,
    ProposalSource,
    ProposalState,
    Sponsorship,
    Vote,
)
from convention.models import ConventionVersion
from members.core.admin import CaseHistoryInlineMixin
from members.core.errors import DomainError
from members.core.policy import actor_from_request, allows
from members.core.transitions import record_creation


class ChangeInline(admin.StackedInline):
    model = ProposalChange
    extra = 1
    fields = ["kind", "article_number", "chapter_number", "chapter_title", "new_text"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or obj.state == ProposalState.DRAFT) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission  # type: ignore[assignment]


class SponsorshipInline(admin.TabularInline):
    model = Sponsorship
    fields = readonly_fields = ("organisation", "sponsored_at", "withdrawn_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposalEventInline(CaseHistoryInlineMixin, admin.TabularInline):
    model = ProposalEvent
    fields = readonly_fields = CaseHistoryInlineMixin.history_fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OpenBallotForm(forms.Form):
    deadline = forms.DateTimeField(label=gettext_lazy("截止时间"), help_text=gettext_lazy("格式：2026-12-31 17:00"))
    effective_date = forms.DateField(label=gettext_lazy("通过后生效日期"), required=False,
                                     help_text=gettext_lazy("留空则自表决结果确定之日起生效"))


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "organisation", "state", "created_at", "qualified_at"]
    list_filter = ["state", "source"]
    search_fields = ["title", "organisation__name", "organisation__uscc"]
    inlines = [ChangeInline, SponsorshipInline, ProposalEventInline]
    actions = ["submit_selected", "recheck_selected", "withdraw_selected"]
    readonly_fields = ["source", "organisation", "base_version", "state", "created_by", "created_at",
                       "submitted_at", "qualified_at", "qualified_sponsors", "qualified_signatories",
                       "resulting_version", "ballot_link"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.state != ProposalState.DRAFT:
            return ["title", "rationale", *self.readonly_fields]
        return list(self.readonly_fields)

    @admin.display(description=gettext_lazy("表决"))
    def ballot_link(self, obj: Proposal) -> str:
        ballot = getattr(obj, "ballot", None)
        if ballot is not None:
            return format_html('<a href="{}">{}</a>', reverse("admin:convention_ballot_change", args=[ballot.pk]),
                               _("查看表决"))
        if obj.pk and obj.state == ProposalState.QUALIFIED:
            return format_html('<a href="{}">{}</a>', reverse("admin:convention_proposal_open_ballot",
                                                              args=[obj.pk]), _("发起表决"))
        return "—"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Proposal, form: Any, change: bool) -> None:
        if not change:  # staff draft a proposal for the executive body
            obj.source = ProposalSource.EXECUTIVE
            obj.created_by = request.user  # type: ignore[assignment]
            latest = ConventionVersion.objects.order_by("-number").first()
            assert latest is not None
            obj.base_version = latest
        super().save_model(request, obj, form, change)
        if not change:
            record_creation(actor_from_request(request), PROPOSAL_MACHINE, obj, "create")

    def get_urls(self) -> list[URLPattern]:
        return [
            path("<int:pk>/open-ballot/", self.admin_site.admin_view(self.open_ballot_view),
                 name="convention_proposal_open_ballot"),
            *super().get_urls(),
        ]

    def open_ballot_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = get_object_or_404(Proposal, pk=pk)
        actor = actor_from_request(request)
        if not allows(actor, "proposal.open_ballot", proposal):
            messages.error(request, _("您没有发起表决的权限。"))
            return HttpResponseRedirect(reverse("admin:convention_proposal_change", args=[pk]))
        form = OpenBallotForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                ballot = services.ballot_open(actor, proposal, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("表决已开始，表决成员 %(n)s 家。") % {"n": ballot.electorate_size})
                return HttpResponseRedirect(reverse("admin:convention_ballot_change", args=[ballot.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "proposal": proposal,
                   "opts": self.model._meta, "title": _("发起表决")}
        return render(request, "convention/ballots/admin_open.html", context)

    def _each(self, request: HttpRequest, queryset: QuerySet[Proposal], fn: Any, done: str) -> None:
        actor = actor_from_request(request)
        for proposal in queryset:
            try:
                fn(actor, proposal)
            except DomainError as exc:
                self.message_user(request, f"{proposal}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{proposal}: {done}", messages.SUCCESS)

    @admin.action(description=gettext_lazy("提交执行机构提议（即符合提议条件）"), permissions=["change"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Proposal]) -> None:
        self._each(request, queryset.filter(source=ProposalSource.EXECUTIVE),
                   services.proposal_submit, _("已提交"))

    @admin.action(description=gettext_lazy("重新核对联署条件（10·s ≥ N）"), permissions=["change"])
    def recheck_selected(self, request: HttpRequest, queryset: QuerySet[Proposal]) -> None:
        self._each(request, queryset, services.proposal_check_qualification, _("已核对"))

    @admin.action(description=gettext_lazy("撤回修订提议"), permissions=["change"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Proposal]) -> None:
        self._each(request, queryset, services.proposal_withdraw, _("已撤回"))


class VoteInline(admin.TabularInline):
    model = Vote
    fields = readonly_fields = ("organisation", "choice", "cast_by", "cast_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ElectorateInline(admin.TabularInline):
    model = ElectorateMember
    fields = readonly_fields = ("public_uscc", "name")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["proposal", "state", "opened_at", "deadline", "electorate_size", "outcome"]
    list_filter = ["state", "outcome"]
    inlines = [VoteInline, ElectorateInline]
    actions = ["settle_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Ballot._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # opened from a qualified proposal ("发起表决")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("立即核对是否已可确定结果或已截止"), permissions=["change"])
    def settle_selected(self, request: HttpRequest, queryset: QuerySet[Ballot]) -> None:
        actor = actor_from_request(request)
        closed = 0
        for ballot in queryset:
            try:
                closed += services.ballot_settle(actor, ballot.pk)
            except DomainError as exc:
                self.message_user(request, f"{ballot}: {exc.message}", messages.ERROR)
        self.message_user(request, _("已结束 %(n)s 项表决。") % {"n": closed})
