"""The portal's navigation: only the pages that apply to the organisation's state (issue 13)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import APPLICATION_OPEN_STATES, WithdrawalState
from members.selectors import representative_of

register = template.Library()


def portal_links(user: Any) -> list[tuple[str, str]]:
    """(url, label) of each page this account's organisation has a use for, in menu order.

    An applicant that was never a member has nothing to vote on, no cases and no certificate; a member
    sees its pending withdrawal; a page for something the organisation cannot do is not offered.
    """
    org = representative_of(user)
    links = [(reverse("portal:dashboard"), _("概览"))]
    if org is not None:
        application = org.applications.filter(state__in=APPLICATION_OPEN_STATES).order_by("-id").first()
        if application is not None:
            links.append((reverse("portal:application", args=[application.pk]), _("入约申请")))
        ever_member = org.memberships.exists()
        pending = org.withdrawals.filter(state=WithdrawalState.FILED).order_by("-id").first()
        if pending is not None:
            links.append((reverse("portal:withdrawal", args=[pending.pk]), _("退出通知")))
        links.append((reverse("portal:notifications"), _("通知")))
        if ever_member:
            links += [(reverse("amendments:index"), _("公约修订与表决")),
                      (reverse("cases:index"), _("整改、通报与调解"))]
        links += [(reverse("portal:team"), _("单位代表")), (reverse("portal:feedback"), _("意见建议")),
                  (reverse("portal:tokens"), _("API 令牌"))]
    links += [(reverse("portal:settings"), _("账户设置")), (reverse("account_change_password"), _("修改密码")),
              (reverse("account_logout"), _("退出登录"))]
    return links


@register.inclusion_tag("members/portal/_nav_links.html", takes_context=True)
def portal_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    path = request.path
    links = portal_links(request.user)
    # The current page is the longest link its address starts with (a case page marks its section).
    current = max((url for url, _label in links if path.startswith(url)), key=len, default="")
    return {"links": [(url, label, url == current) for url, label in links]}
