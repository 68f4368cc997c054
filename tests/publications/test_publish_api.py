"""The admin's "publish now" through the API: the same service, the publisher's permission, one error shape."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from members.core import clock
from members.publications.models import Publication, PublicationState
from tests.factories import OrganisationFactory, make_representative, make_signatory
from tests.helpers import assert_error, login_staff, token_client

from .conftest import PERIOD, PERIOD_END, PERIOD_START

pytestmark = pytest.mark.django_db
URL = "/api/v1/bulletins/publish-now/"


def test_a_publisher_publishes_a_period_now_by_token_and_a_second_call_makes_no_second_bulletin(
        publisher, march, django_capture_on_commit_callbacks):
    api = token_client(publisher, staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(URL, {"period": PERIOD}, format="json")
    assert response.status_code == 201, response.content
    pub = Publication.objects.get()
    assert response.json()["number"] == pub.number and response.json()["created"] is True
    assert (pub.period_start, pub.period_end, pub.created_by) == (PERIOD_START, PERIOD_END, publisher)
    assert pub.state == PublicationState.PUBLISHED and pub.files.exists()
    again = api.post(URL, {"period": PERIOD, "months": 1}, format="json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert Publication.objects.count() == 1


def test_publish_now_in_a_verified_browser_session(publisher, march, django_capture_on_commit_callbacks):
    client = login_staff(APIClient(), publisher)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, {"period": PERIOD}, format="json").status_code == 201
    assert Publication.objects.get().created_by == publisher


def test_publish_now_is_refused_without_the_publisher_permission(reviewer, publisher, db):
    assert_error(token_client(reviewer, staff=True).post(URL, {"period": PERIOD}, format="json"), 403, "permission_denied")
    rep = make_representative(make_signatory(OrganisationFactory()))
    assert_error(token_client(rep, write=True).post(URL, {"period": PERIOD}, format="json"), 403, "permission_denied")
    unverified = APIClient()
    unverified.force_login(publisher)  # a staff session without its second factor has no staff permissions
    assert_error(unverified.post(URL, {"period": PERIOD}, format="json"), 403, "permission_denied")
    assert_error(APIClient().post(URL, {"period": PERIOD}, format="json"), 401, "not_authenticated")
    assert not Publication.objects.exists()


def test_bad_or_unfinished_periods_are_400_next_to_the_field(publisher, monkeypatch):
    api = token_client(publisher, staff=True)
    for bad in ("2025-13", "March", ""):
        error = assert_error(api.post(URL, {"period": bad}, format="json"), 400, "invalid")
        assert "period" in error["fields"]
    monkeypatch.setattr(clock, "today", lambda: date(2025, 3, 10))
    error = assert_error(api.post(URL, {"period": PERIOD}, format="json"), 400, "period_not_over")
    assert "period" in error["fields"]
    assert not Publication.objects.exists()
