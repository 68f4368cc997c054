"""Portal actions that now have endpoints too: token auth, organisation scoping, errors in the shared shape."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from members import services
from members.models import JoinApplication, Representative, WithdrawalEvent, WithdrawalState
from tests.factories import make_representative, make_signatory
from tests.helpers import act, assert_error, token_client

pytestmark = [pytest.mark.django_db]
API = "/api/v1/portal"


def test_without_a_token_the_endpoints_refuse(org_a, rep_a):
    for url in (f"{API}/representatives/", f"{API}/applications/reapply/"):
        response = APIClient().post(url) if url.endswith("reapply/") else APIClient().get(url)
        assert response.status_code in (401, 403)
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_representative_cancels_a_pending_withdrawal_notice(org_a, rep_a, org_b, rep_b, reviewer):
    make_signatory(org_a, on=date(2025, 1, 10))
    make_signatory(org_b, on=date(2025, 1, 10))
    notice = services.withdrawal_file(act(rep_a), org_a, reason="业务调整")
    other = services.withdrawal_file(act(rep_b), org_b)
    api = token_client(rep_a, write=True)
    assert_error(api.post(f"{API}/withdrawals/{other.pk}/cancel/"), 404, "not_found")
    other.refresh_from_db()
    assert other.state == WithdrawalState.FILED

    response = api.post(f"{API}/withdrawals/{notice.pk}/cancel/")
    assert response.status_code == 200 and response.json()["state"] == WithdrawalState.CANCELLED
    notice.refresh_from_db()
    assert notice.state == WithdrawalState.CANCELLED
    assert WithdrawalEvent.objects.filter(withdrawal=notice, action="cancel", actor=rep_a).exists()
    assert_error(api.post(f"{API}/withdrawals/{notice.pk}/cancel/"), 409, "transition_not_allowed")

    services.withdrawal_acknowledge(act(reviewer), other)
    acknowledged = other
    assert_error(token_client(rep_b, write=True).post(f"{API}/withdrawals/{acknowledged.pk}/cancel/"), 409)


def test_a_representative_removes_a_colleague_but_not_the_last_one(org_a, rep_a, org_b, rep_b):
    colleague = make_representative(org_a, "colleague@example.org")
    api = token_client(rep_a, write=True)
    listed = api.get(f"{API}/representatives/").json()
    assert {r["email"] for r in listed} == {rep_a.email, colleague.email}
    assert rep_b.email not in str(listed)

    foreign = Representative.objects.get(user=rep_b)
    assert_error(api.post(f"{API}/representatives/{foreign.pk}/remove/"), 404, "not_found")
    assert Representative.objects.filter(pk=foreign.pk).exists()
    own = Representative.objects.get(user=rep_a)
    error = assert_error(api.post(f"{API}/representatives/{own.pk}/remove/"), 400, "cannot_remove_self")
    assert error["message"]

    mine = Representative.objects.get(user=colleague)
    assert api.post(f"{API}/representatives/{mine.pk}/remove/").status_code == 204
    assert not Representative.objects.filter(pk=mine.pk).exists()
    assert [r["email"] for r in api.get(f"{API}/representatives/").json()] == [rep_a.email]


def test_a_former_member_reapplies_through_the_api(org_a, rep_a, reviewer):
    api = token_client(rep_a, write=True)
    make_signatory(org_a, on=date(2025, 1, 10))
    assert_error(api.post(f"{API}/applications/reapply/"), 409, "already_signatory")
    assert not JoinApplication.objects.filter(organisation=org_a).exists()
    services.withdrawal_acknowledge(act(reviewer), services.withdrawal_file(act(rep_a), org_a))

    response = api.post(f"{API}/applications/reapply/")
    assert response.status_code == 201
    app = JoinApplication.objects.get(organisation=org_a)
    assert response.json()["id"] == app.pk and response.json()["state"] == "draft"
    api.post(f"{API}/applications/reapply/")
    assert JoinApplication.objects.filter(organisation=org_a).count() == 1


def test_an_account_without_organisation_cannot_reapply(newcomer):
    assert_error(token_client(newcomer, write=True).post(f"{API}/applications/reapply/"), 404)


def test_notifications_are_read_only_within_the_organisation(org_a, rep_a, org_b, rep_b):
    mine = services.notify(org_a, "test", "甲方通知", "甲方正文")
    theirs = services.notify(org_b, "test", "乙方通知", "乙方正文")
    api = token_client(rep_a, write=True)
    response = api.get(f"{API}/notifications/{mine.pk}/")
    assert response.status_code == 200 and response.json()["body"] == "甲方正文"
    assert_error(api.get(f"{API}/notifications/{theirs.pk}/"), 404, "not_found")
    assert "乙方通知" not in api.get(f"{API}/notifications/").content.decode()
