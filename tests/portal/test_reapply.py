"""A former member (withdrawn, rejected or revoked) starts a new application from the portal."""

from __future__ import annotations

from datetime import date

import pytest

from members import services
from members.core.errors import PermissionDenied
from members.models import JoinApplication
from tests.factories import make_application, make_signatory
from tests.helpers import act

pytestmark = pytest.mark.django_db


def test_it_starts_a_new_period_after_a_withdrawal(client, org_a, rep_a, reviewer):
    make_signatory(org_a, on=date(2025, 1, 10))
    notice = services.withdrawal_file(act(rep_a), org_a)
    services.withdrawal_acknowledge(act(reviewer), notice)
    client.force_login(rep_a)
    dashboard = client.get("/portal/").content.decode()
    assert "重新申请加入" in dashboard
    response = client.post("/portal/reapply/")
    app = JoinApplication.objects.get(organisation=org_a)
    assert response.status_code == 302 and response["Location"] == f"/portal/applications/{app.pk}/"
    assert app.state == "draft" and app.events.get().comment == "重新申请"
    # A second request while the draft is open changes nothing.
    client.post("/portal/reapply/")
    assert JoinApplication.objects.filter(organisation=org_a).count() == 1


def test_a_rejected_applicant_may_apply_again(client, org_a, rep_a, reviewer):
    app = make_application(org_a)
    services.application_submit(act(rep_a), app)
    services.application_start_review(act(reviewer), app)
    services.application_reject(act(reviewer), app, comment="资质材料不全")
    client.force_login(rep_a)
    client.post("/portal/reapply/")
    assert JoinApplication.objects.filter(organisation=org_a, state="draft").count() == 1


def test_a_current_signatory_cannot_reapply_and_others_cannot_act_for_it(client, org_a, rep_a, rep_b):
    make_signatory(org_a, on=date(2025, 1, 10))
    client.force_login(rep_a)
    assert "重新申请加入" not in client.get("/portal/").content.decode()
    response = client.post("/portal/reapply/", follow=True)
    assert "该单位已是公约签署成员。" in response.content.decode()
    assert not JoinApplication.objects.exists()
    with pytest.raises(PermissionDenied):
        services.application_reapply(act(rep_b), org_a)
