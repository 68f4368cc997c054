"""Public pages: the report form, following a report by tracking code, and public notices."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from members.core.errors import DomainError
from members.core.policy import actor_from_request
from members.selectors import current_signatories

from . import ratelimit, selectors, services
from .forms import ReportForm, TrackForm
from .models import tracking_code_display

SESSION_CODE = "complaints_new_code"


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/too_many.html", status=429)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Every attempt counts, valid or not: wrong CAPTCHA answers are part of a flood too.
        if not ratelimit.allow(request, "report", "COMPLAINTS_REPORT_RATE"):
            return _too_many(request)
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                filed = services.complaint_file(
                    actor_from_request(request), organisation=data["member"], description=data["description"], app_name=data["app_name"],
                    app_kind=data["app_kind"], article_number=data["article_number"],
                    reporter_name=data["reporter_name"], reporter_email=data["reporter_email"],
                    reporter_phone=data["reporter_phone"], evidence=data["evidence"],
                )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
            else:
                request.session[SESSION_CODE] = filed.tracking_code
                return redirect("complaints:report_done")
    else:
        form = ReportForm()
    names = current_signatories().order_by("name").values_list("name", flat=True)
    return render(request, "complaints/report.html", {"form": form, "signatory_names": names})


@never_cache
def report_done(request: HttpRequest) -> HttpResponse:
    """Shows the tracking code once; it is not stored anywhere the site could show it again."""
    code = request.session.pop(SESSION_CODE, None)
    if not code:
        return redirect("complaints:track")
    return render(request, "complaints/report_done.html", {"code": tracking_code_display(code)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Follow a report by its code. POST keeps the code out of URLs, histories and access logs."""
    complaint = None
    if request.method == "POST":
        if not ratelimit.allow(request, "track", "COMPLAINTS_TRACK_RATE"):
            return _too_many(request)
        form = TrackForm(request.POST)
        if form.is_valid():
            complaint = selectors.complaint_by_tracking_code(form.cleaned_data["code"])
            if complaint is None:
                form.add_error("code", _("查询码无效，请核对后重新输入。"))
    else:
        form = TrackForm()
    return render(request, "complaints/track.html", {"form": form, "complaint": complaint})


@require_safe
def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/notices.html", {"notices": selectors.public_notices()})


@require_safe
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One public notice as the executive body's signed PDF (rendered from its log entry)."""
    from members.transparency import notices as signed_notices

    notice = signed_notices.public_notice(pk)
    if notice is None:
        raise Http404
    response = HttpResponse(signed_notices.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
