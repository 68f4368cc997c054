"""The admin home's first block: the work waiting for staff, each a counted link to a filtered list;
and the app list reordered so the technical sections come last (issue 13).

It lives with the project wiring (``convention``) because it reads every app's models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.deadlines import verification_warning_since
from members.core import clock
from members.core.i18n import interpolate_lazy

register = template.Library()

BALLOT_WARNING_DAYS = 7  # a ballot's deadline is its own (set when it opens); warn a week before
TECHNICAL_APPS = ["axes", "otp_totp", "otp_static", "django_celery_beat", "django_celery_results", "sites",
                  "authtoken", "audit", "account", "socialaccount", "auth"]
TECHNICAL_LABELS = {
    "axes": _("登录锁定记录"), "otp_totp": _("动态口令设备"), "otp_static": _("备用口令"),
    "django_celery_beat": _("定时任务"), "django_celery_results": _("任务结果"), "sites": _("站点"),
    "authtoken": _("接口令牌"), "account": _("账户邮箱"), "socialaccount": _("第三方账户"),
}


@dataclass
class WorkItem:
    key: str
    label: Any
    count: int
    url: str


def _url(name: str, **query: Any) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


@register.simple_tag
def work_waiting(user: Any) -> list[WorkItem]:
    """Counts of what waits, for the lists this user may see; a zero still shows (nothing waits)."""
    return [item for item in _all_work() if user.has_perm(PERMS[item.key])]


PERMS = {
    "applications": "members.view_joinapplication", "withdrawals": "members.view_withdrawalnotice",
    "complaints": "complaints.view_complaint", "open_complaints": "complaints.view_complaint",
    "corrections": "complaints.view_correctionorder", "ballots": "convention.view_ballot",
    "bulletins": "publications.view_publication",
}


def _all_work() -> list[WorkItem]:
    from complaints.models import Complaint, ComplaintState, CorrectionOrder, CorrectionState
    from convention.amendments.models import Ballot, BallotState
    from members.models import ApplicationState, JoinApplication, WithdrawalNotice
    from members.publications.models import Publication, PublicationState

    today = clock.today()
    now = clock.now()
    review = [ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW, ApplicationState.RESUBMITTED]
    open_cases = Complaint.objects.filter(state__in=[ComplaintState.RECEIVED, ComplaintState.UNDER_VERIFICATION])
    due_soon = open_cases.filter(received_at__lte=verification_warning_since(now))
    return [
        WorkItem("applications", _("待审核的入约申请"), JoinApplication.objects.filter(state__in=review).count(),
                 _url("admin:members_joinapplication_changelist", state__in=",".join(review))),
        WorkItem("withdrawals", _("待确认的退出通知"), WithdrawalNotice.objects.filter(state="filed").count(),
                 _url("admin:members_withdrawalnotice_changelist", state__exact="filed")),
        WorkItem("complaints", interpolate_lazy(_("临近查证目标期限的举报（受理已满 %(days)s 天，目标 %(target)s 天）"), {
                     "days": settings.COMPLAINTS_VERIFICATION_TARGET_DAYS - settings.COMPLAINTS_VERIFICATION_WARNING_DAYS,
                     "target": settings.COMPLAINTS_VERIFICATION_TARGET_DAYS}), due_soon.count(),
                 _url("admin:complaints_complaint_changelist", state__in=",".join(
                     [ComplaintState.RECEIVED, ComplaintState.UNDER_VERIFICATION]))),
        WorkItem("open_complaints", _("尚未结案的举报"), open_cases.count(),
                 _url("admin:complaints_complaint_changelist", state__in=",".join(
                     [ComplaintState.RECEIVED, ComplaintState.UNDER_VERIFICATION]))),
        WorkItem("corrections", _("已逾期的整改要求"),
                 CorrectionOrder.objects.filter(state=CorrectionState.ISSUED, deadline__lt=today).count(),
                 _url("admin:complaints_correctionorder_changelist", state__exact=CorrectionState.ISSUED)),
        WorkItem("ballots", _("七日内截止的表决"), Ballot.objects.filter(
            state=BallotState.OPEN, deadline__lte=now + timedelta(days=BALLOT_WARNING_DAYS)).count(),
            _url("admin:convention_ballot_changelist", state__exact=BallotState.OPEN)),
        WorkItem("bulletins", _("生成失败的名单公告"),
                 Publication.objects.filter(state=PublicationState.FAILED).count(),
                 _url("admin:publications_publication_changelist", state__exact=PublicationState.FAILED)),
    ]


@register.simple_tag
def business_first(app_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The registry's own sections first, technical ones last and under translated names."""
    def rank(app: dict[str, Any]) -> tuple[int, int]:
        label = app.get("app_label", "")
        return (1, TECHNICAL_APPS.index(label)) if label in TECHNICAL_APPS else (0, 0)

    out = []
    for app in sorted(app_list, key=rank):
        if app.get("app_label") in TECHNICAL_LABELS:
            app = {**app, "name": TECHNICAL_LABELS[app["app_label"]]}
        out.append(app)
    return out
