"""Portal pages for member companies: correction orders, internal notices and mediation.

Every query is scoped to the representative's own organisation; a case of another company is a 404.
The reporter of a complaint never appears here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints import selectors, services
from complaints.forms import CorrectionAnswerForm, DisputeRequestForm
from members.core.errors import DomainError
from members.core.policy import actor_from_request, allows
from members.models import Organisation
from members.selectors import representative_of


def _org(request: HttpRequest) -> Organisation:
    org = representative_of(request.user)
    if org is None:
        raise PermissionDenied
    return org


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(request, "complaints/portal/index.html", {
        "organisation": org,
        "corrections": selectors.corrections_for(org),
        "notices": selectors.internal_notices_for(org),
        "disputes": selectors.disputes_for(org),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    order = get_object_or_404(selectors.corrections_for(org), pk=pk)
    form = CorrectionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_answer(actor_from_request(request), order, report=form.cleaned_data["report"])
        except DomainError as exc:
            form.add_error("report" if exc.field == "report" else None, str(exc.message))
        else:
            messages.success(request, _("整改报告已提交。"))
            return redirect("cases:correction", pk=order.pk)
    events = order.events.exclude(action="issue").order_by("at", "id")
    return render(request, "complaints/portal/correction.html",
                  {"order": order, "form": form, "events": events})


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.internal_notices_for(_org(request)), pk=pk)
    return render(request, "complaints/portal/notice.html", {"notice": notice})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dispute_request(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = DisputeRequestForm(request.POST or None, requester=org)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.dispute_request(actor_from_request(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("调解申请已提交。"))
            return redirect("cases:dispute", pk=dispute.pk)
    return render(request, "complaints/portal/dispute_request.html", {"form": form, "organisation": org})


@login_required
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    dispute = get_object_or_404(selectors.disputes_for(org), pk=pk)
    return render(request, "complaints/portal/dispute.html", {
        "dispute": dispute, "events": dispute.events.order_by("at", "id"),
        "can_withdraw": dispute.is_open and allows(actor_from_request(request), "dispute.withdraw", dispute),
    })


@login_required
@require_POST
def dispute_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request)
    dispute = get_object_or_404(selectors.disputes_for(org), pk=pk)
    try:
        services.dispute_withdraw(actor_from_request(request), dispute, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("调解申请已撤回。"))
    return redirect("cases:dispute", pk=dispute.pk)
