"""'Status on a date' on the web: who was a signatory on a given day (the same selectors as the API)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from members import selectors as member_selectors
from members.core import clock
from members.models import MembershipStatus, Organisation

from . import selectors
from .conditional import register_conditional

PAGE_SIZE = 50
FIRST_DAY = date(2000, 1, 1)


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("查询日期"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         error_messages={"invalid": _("请输入有效的日期，格式为 年-月-日，例如 2025-06-30。")})
    q = forms.CharField(label=_("名称或统一社会信用代码"), required=False, max_length=200)

    def clean_on(self) -> date:
        on = self.cleaned_data.get("on") or clock.today()
        if on < FIRST_DAY:
            raise forms.ValidationError(_("请选择 2000 年 1 月 1 日以后的日期。"))
        return on


def day_of(request: HttpRequest) -> tuple[OnDateForm, date | None]:
    """The form and the date asked for (today when none; None when the input is invalid)."""
    form = OnDateForm(request.GET or None)
    if not request.GET:
        return form, clock.today()
    return form, form.cleaned_data["on"] if form.is_valid() else None


def is_signatory_on(org: Organisation, on: date) -> bool:
    return member_selectors.status_on(org, on) == MembershipStatus.SIGNATORY


def status_label_on(org: Organisation, on: date) -> str:
    return selectors.status_display(member_selectors.status_on(org, on))


@require_safe
@register_conditional
def signatories_on_date(request: HttpRequest) -> HttpResponse:
    form, on = day_of(request)
    page = None
    if on is not None:
        orgs = member_selectors.signatories_on(on).only(*selectors.PUBLIC_FIELDS)
        q = (form.cleaned_data.get("q") or "").strip() if form.is_bound and form.is_valid() else ""
        if q:
            orgs = orgs.filter(Q(name__icontains=q) | Q(name_en__icontains=q) | (Q(uscc=q.upper()) & ~Q(uscc__startswith="92")))
        paginator = Paginator(orgs.order_by("name", "id"), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = selectors.with_labels(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "members/on_date.html", {
        "form": form, "on": on, "page": page, "query": query.urlencode(), "today": clock.today(),
    })
