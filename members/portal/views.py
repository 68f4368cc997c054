"""Portal views: every query is scoped to the representative's own organisation.

Anything of another organisation answers 404, so that its existence is not revealed either.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import services
from members.core.errors import DomainError
from members.core.policy import actor_from_request
from members.models import (
    ApplicationState,
    Document,
    JoinApplication,
    Notification,
    Organisation,
    WithdrawalNotice,
    WithdrawalState,
)
from members.selectors import representative_of
from members.services.applications import REQUIRED_DOCUMENTS, application_missing_documents

from . import selectors
from . import services as portal_services
from .forms import (
    ApplicationForm,
    FeedbackForm,
    InvitationForm,
    OrganisationForm,
    WithdrawalConfirmForm,
    WithdrawalForm,
)

View = Callable[..., HttpResponseBase]


def representative_required(view: View) -> View:
    """Log in first; then the view gets the organisation the account acts for (or the dashboard says how)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        org = representative_of(request.user)
        if org is None:
            messages.info(request, _("您的账户尚未关联单位：请先提交入约申请，或接受同事的邀请。"))
            return redirect("portal:dashboard")
        return view(request, org, *args, **kwargs)

    return wrapper


def _form_error(form: Any, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
    field = (field_map or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, str(exc.message))


# --- Dashboard --------------------------------------------------------------------------------------

@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    org = representative_of(request.user)
    if org is None:
        return render(request, "members/portal/start.html", {})
    return render(request, "members/portal/dashboard.html", selectors.dashboard_context(org))


# --- Applications -----------------------------------------------------------------------------------

@login_required
def application_new(request: HttpRequest) -> HttpResponseBase:
    """The whole application in one form and one save: details, and the files the applicant has."""
    if representative_of(request.user) is not None:
        return redirect("portal:dashboard")
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = portal_services.application_save(actor_from_request(request), None, uscc=form.cleaned_data["uscc"],
                                                   data=form.data_for_service(), files=form.files_for_service())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("申请草稿已保存。"))
            return redirect("portal:application", pk=app.pk)
    return render(request, "members/portal/application_form.html", {"form": form},
                  status=400 if form.errors else 200)


@require_POST
@representative_required
def application_reapply(request: HttpRequest, org: Organisation) -> HttpResponseBase:
    """Start a new application after a withdrawal, a rejection or a revocation."""
    try:
        app = services.application_reapply(actor_from_request(request), org)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:dashboard")
    messages.success(request, _("新的申请草稿已创建。"))
    return redirect("portal:application", pk=app.pk)


def _application(org: Organisation, pk: int) -> JoinApplication:
    return get_object_or_404(JoinApplication.objects.select_related("organisation"), pk=pk, organisation=org)


def _render_application(request: HttpRequest, app: JoinApplication, *, submit_error: str = "",
                        status: int = 200) -> HttpResponse:
    context = {
        "application": app, "organisation": app.organisation, "submit_error": submit_error,
        "documents": [{"kind": kind, "label": Document.Kind(kind).label, "current": app.current_document(kind)}
                      for kind in REQUIRED_DOCUMENTS],
        "missing": [Document.Kind(kind).label for kind in application_missing_documents(app)],
        "show_comment": bool(app.staff_comment) and app.state in (ApplicationState.RETURNED, ApplicationState.REJECTED),
        "events": selectors.event_rows(app.events.order_by("at", "id")),
    }
    return render(request, "members/portal/application.html", context, status=status)


@representative_required
def application_detail(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    return _render_application(request, _application(org, pk))


@representative_required
def application_edit(request: HttpRequest, org: Organisation, pk: int) -> HttpResponseBase:
    """The same one form as a new application (without the code, which never changes), one save."""
    app = _application(org, pk)
    if not app.is_editable:
        messages.error(request, _("申请已提交，当前不能修改。"))
        return redirect("portal:application", pk=app.pk)
    current: dict[str, Any] = {str(kind): app.current_document(kind) for kind in REQUIRED_DOCUMENTS}
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=app.organisation, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            portal_services.application_save(actor_from_request(request), app, data=form.data_for_service(),
                                             files=form.files_for_service())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("申请已保存。"))
            return redirect("portal:application", pk=app.pk)
    return render(request, "members/portal/application_edit.html", {"form": form, "application": app},
                  status=400 if form.errors else 200)


@require_POST
@representative_required
def application_submit(request: HttpRequest, org: Organisation, pk: int) -> HttpResponseBase:
    app = _application(org, pk)
    try:
        services.application_submit(actor_from_request(request), app)
    except DomainError as exc:
        status = 400 if exc.code == "documents_missing" else 409
        return _render_application(request, app, submit_error=str(exc.message), status=status)
    messages.success(request, _("申请已提交。"))
    return redirect("portal:application", pk=app.pk)


@representative_required
def signature_page(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    from .pdf import signature_page_pdf

    app = _application(org, pk)
    response = HttpResponse(signature_page_pdf(app), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="signature-page-{app.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Withdrawal -------------------------------------------------------------------------------------

@representative_required
def withdrawal_new(request: HttpRequest, org: Organisation) -> HttpResponseBase:
    """Step 1: reason and date; step 2 (confirm=1 posted): confirmation, optional letter, filing."""
    if not org.is_signatory:
        messages.error(request, _("贵单位当前不是签署成员，无需退出。"))
        return redirect("portal:dashboard")
    pending = org.withdrawals.filter(state=WithdrawalState.FILED).first()
    if pending is not None:
        return redirect("portal:withdrawal", pk=pending.pk)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        confirm_form = WithdrawalConfirmForm(request.POST, request.FILES)
        if confirm_form.is_valid():
            data = confirm_form.cleaned_data
            try:
                notice = services.withdrawal_file(actor_from_request(request), org, reason=data["reason"],
                                                  requested_date=data["requested_date"], letter=data["letter"])
            except DomainError as exc:
                _form_error(confirm_form, exc, {"withdrawal_letter": "letter"})
            else:
                messages.success(request, _("退出通知已提交，请等待执行机构确认。"))
                return redirect("portal:withdrawal", pk=notice.pk)
        return render(request, "members/portal/withdrawal_confirm.html", {"form": confirm_form, "organisation": org},
                      status=400)
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        date = form.cleaned_data["requested_date"]
        membership = org.memberships.filter(ended_on__isnull=True).first()
        if date and membership and date < membership.started_on:
            form.add_error("requested_date", _("希望生效日期不能早于加入日期。"))
        else:
            confirm_form = WithdrawalConfirmForm(initial=form.cleaned_data)
            return render(request, "members/portal/withdrawal_confirm.html",
                          {"form": confirm_form, "organisation": org, "summary": form.cleaned_data})
    return render(request, "members/portal/withdrawal_form.html", {"form": form, "organisation": org})


@representative_required
def withdrawal_detail(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    notice = get_object_or_404(WithdrawalNotice, pk=pk, organisation=org)
    return render(request, "members/portal/withdrawal.html", {
        "notice": notice, "events": selectors.event_rows(notice.events.order_by("at", "id")),
        "documents": notice.documents.filter(superseded=False),
    })


@require_POST
@representative_required
def withdrawal_cancel(request: HttpRequest, org: Organisation, pk: int) -> HttpResponseBase:
    notice = get_object_or_404(WithdrawalNotice, pk=pk, organisation=org)
    try:
        services.withdrawal_cancel(actor_from_request(request), notice)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("退出通知已撤回。"))
    return redirect("portal:withdrawal", pk=notice.pk)


# --- Notifications ----------------------------------------------------------------------------------

@representative_required
def notifications(request: HttpRequest, org: Organisation) -> HttpResponse:
    return render(request, "members/portal/notifications.html", {"notifications": org.notifications.all()[:200]})


@representative_required
def notification_detail(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, organisation=org)
    return render(request, "members/portal/notification.html", {"note": note})


# --- Colleagues -------------------------------------------------------------------------------------

@representative_required
def team(request: HttpRequest, org: Organisation) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_services.invitation_send(actor_from_request(request), org, email=form.cleaned_data["email"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("邀请已发送至 %(email)s。") % {"email": form.cleaned_data["email"]})
            return redirect("portal:team")  # type: ignore[return-value]
    return render(request, "members/portal/team.html", {
        "form": form, "organisation": org,
        "representatives": org.representatives.select_related("user").order_by("created_at", "pk"),
        "invitations": portal_services.open_invitations(org).order_by("-created_at"),
    }, status=400 if form.errors else 200)


@require_POST
@representative_required
def representative_remove(request: HttpRequest, org: Organisation, pk: int) -> HttpResponseBase:
    get_object_or_404(org.representatives, pk=pk)
    try:
        portal_services.representative_remove(actor_from_request(request), org, representative_id=pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已移除该代表。"))
    return redirect("portal:team")


@require_POST
@representative_required
def invitation_revoke(request: HttpRequest, org: Organisation, pk: int) -> HttpResponseBase:
    inv = get_object_or_404(org.invitations, pk=pk)
    try:
        portal_services.invitation_revoke(actor_from_request(request), inv)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("邀请已撤销。"))
    return redirect("portal:team")


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponseBase:
    error = ""
    if request.method == "POST":
        try:
            portal_services.invitation_accept(actor_from_request(request), token)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("您已成为本单位代表。"))
            return redirect("portal:dashboard")
    invitation = selectors.invitation_by_token(token)
    return render(request, "members/portal/invitation_accept.html", {"invitation": invitation, "error": error},
                  status=400 if error else 200)


# --- Feedback (Art 15) ------------------------------------------------------------------------------

@representative_required
def feedback(request: HttpRequest, org: Organisation) -> HttpResponseBase:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_services.feedback_submit(actor_from_request(request), org, subject=form.cleaned_data["subject"],
                                            body=form.cleaned_data["body"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("感谢您的意见，执行机构会认真阅读。"))
            return redirect("portal:dashboard")
    return render(request, "members/portal/feedback.html", {"form": form}, status=400 if form.errors else 200)
