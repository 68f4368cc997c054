"""The portal's navigation offers only what applies to the organisation's state (issue 13)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from members import services
from tests.factories import make_application, make_signatory
from tests.helpers import act

pytestmark = pytest.mark.django_db


def _nav(client) -> dict[str, str]:
    """label -> href of the portal navigation on the dashboard."""
    html = client.get(reverse("portal:dashboard")).content.decode()
    nav = html[html.index('class="portal-nav"'):]
    nav = nav[:nav.index("</nav>")]
    return {label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_an_applicant_sees_its_application_and_nothing_of_members(client_a, org_a, rep_a):
    app = make_application(org_a, rep_a, documents=False)
    nav = _nav(client_a)
    assert nav["入约申请"] == reverse("portal:application", args=[app.pk])
    assert "公约修订与表决" not in nav and "整改、通报与调解" not in nav and "退出通知" not in nav
    assert {"概览", "通知", "单位代表", "退出登录"} <= set(nav)


def test_a_member_sees_amendments_and_cases_then_its_pending_withdrawal(client_a, org_a, rep_a):
    make_signatory(org_a)
    nav = _nav(client_a)
    assert nav["公约修订与表决"] == reverse("amendments:index") and nav["整改、通报与调解"] == reverse("cases:index")
    assert "入约申请" not in nav and "退出通知" not in nav
    notice = services.withdrawal_file(act(rep_a), org_a, reason="", requested_date=None, letter=None)
    assert _nav(client_a)["退出通知"] == reverse("portal:withdrawal", args=[notice.pk])


def test_the_current_page_is_marked(client_a, org_a):
    make_signatory(org_a)
    html = client_a.get(reverse("portal:team")).content.decode()
    assert f'<a href="{reverse("portal:team")}" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1
