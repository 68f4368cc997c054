"""Public read-only API of the register."""

from __future__ import annotations

from datetime import date

import pytest

from members import services
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import act
from tests.public.seed import PUBLIC_NOTICE, Register

pytestmark = pytest.mark.django_db
LIST = "/api/v1/organizations/"


def get(client, url, **params):
    response = client.get(url, params, HTTP_ACCEPT="application/json")
    return response, response.json() if response.content else None


def test_it_lists_with_the_same_filters_as_the_page(client, register: Register):
    _, data = get(client, LIST, q="云端")
    assert [o["name"] for o in data["results"]] == [register.current.name]
    _, data = get(client, LIST, status="withdrawn")
    assert [o["name"] for o in data["results"]] == [register.withdrawn.name]
    _, data = get(client, LIST, role="operator", region="110000")
    assert [o["name"] for o in data["results"]] == [register.current.name]
    _, data = get(client, LIST, joined_from="2024-04-01")
    assert [o["name"] for o in data["results"]] == [register.individual.name]
    _, data = get(client, LIST, q="shanghai")
    assert [o["name"] for o in data["results"]] == [register.rejoined.name]
    names = [o["name"] for o in get(client, LIST)[1]["results"]]
    assert register.applicant.name not in names and len(names) == 5


def test_it_answers_an_invalid_filter_with_the_error_shape(client, register: Register):
    response, data = get(client, LIST, status="nonsense")
    assert response.status_code == 400
    assert data["error"]["code"] == "invalid" and "status" in data["error"]["fields"]
    assert data["error"]["message"] == "提交的数据无效。"


def test_cursor_pages_walk_every_organisation_once_in_a_stable_order(client, db):
    for i in range(7):
        make_signatory(OrganisationFactory(name="同名公司"), on=date(2024, 1, 1 + i % 2))
    for sort in ("name", "-joined_on", "joined_on", "-name"):
        seen: list[str] = []
        url, params = LIST, {"page_size": 3, "sort": sort}
        while url:
            response = client.get(url, params, HTTP_ACCEPT="application/json")
            data = response.json()
            seen += [o["profile_url"] for o in data["results"]]
            url, params = data["next"], {}
        assert len(seen) == len(set(seen)) == 7, sort


def test_it_shows_one_organisation_with_its_periods_and_public_history(client, register: Register):
    response, data = get(client, f"/api/v1/organizations/{register.revoked.uscc.lower()}/")
    assert response.status_code == 200
    assert data["status"] == "revoked" and data["left_on"] == "2024-05-20"
    assert data["periods"] == [{"started_on": "2023-03-01", "ended_on": "2024-05-20", "end_kind": "revoked"}]
    assert data["events"][-1] == {"kind": "revoked", "effective_date": "2024-05-20", "legal_basis": "第二十一条",
                                  "public_notice": PUBLIC_NOTICE, "superseded_on": None}


def test_an_unknown_or_unsigned_organisation_is_not_found(client, register: Register):
    for code in ("911101080000000000", register.applicant.uscc):
        response, data = get(client, f"/api/v1/organizations/{code}/")
        assert response.status_code == 404 and data["error"]["code"] == "not_found"


@pytest.mark.parametrize(("on", "expected"), [
    ("2022-12-31", "none"), ("2023-01-10", "signatory"), ("2023-06-29", "signatory"), ("2023-06-30", "withdrawn"),
    ("2023-12-31", "withdrawn"), ("2024-01-05", "signatory"), ("2026-01-01", "signatory"),
])
def test_status_on_a_date_follows_the_events_across_a_rejoin(client, register: Register, on, expected):
    response, data = get(client, f"/api/v1/organizations/{register.rejoined.uscc}/status/", on=on)
    assert response.status_code == 200
    assert data == {"uscc": register.rejoined.uscc, "on": on, "status": expected,
                    "status_display": data["status_display"], "is_signatory": expected == "signatory",
                    "name": register.rejoined.name, "name_en": register.rejoined.name_en, "roles": ["distributor"],
                    "region": "310000", "scheduled_end": None,
                    "details_corrected": False, "details_superseded": []}


def test_status_on_a_date_after_a_revocation(client, register: Register):
    url = f"/api/v1/organizations/{register.revoked.uscc}/status/"
    assert get(client, url, on="2024-05-19")[1]["status"] == "signatory"
    assert get(client, url, on="2024-05-20")[1]["status"] == "revoked"
    assert get(client, url)[1]["status"] == "revoked"  # default: today


def test_status_with_a_bad_date_is_a_400_in_the_error_shape(client, register: Register):
    response, data = get(client, f"/api/v1/organizations/{register.current.uscc}/status/", on="2024-13-01")
    assert response.status_code == 400 and "on" in data["error"]["fields"]


@pytest.mark.parametrize("page_size", [10, 100])
def test_an_api_page_issues_a_fixed_number_of_queries(client, db, page_size, django_assert_num_queries):
    for _ in range(110):
        make_signatory()
    with django_assert_num_queries(2):  # register stamp + one keyset page, no count
        response = client.get(LIST, {"page_size": page_size}, HTTP_ACCEPT="application/json")
    assert len(response.json()["results"]) == page_size


def test_the_api_answers_304_without_building_the_page(client, register: Register, django_assert_num_queries):
    first = client.get(LIST, {"status": "signatory"}, HTTP_ACCEPT="application/json")
    assert "Accept" in first["Vary"]
    with django_assert_num_queries(1):
        again = client.get(LIST, {"status": "signatory"}, HTTP_ACCEPT="application/json",
                           HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    status_url = f"/api/v1/organizations/{register.current.uscc}/status/"
    first = client.get(status_url, {"on": "2024-06-01"}, HTTP_ACCEPT="application/json")
    assert client.get(status_url, {"on": "2024-06-01"}, HTTP_ACCEPT="application/json",
                      HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.membership_revoke(act(), register.current, reason="r", public_notice="n",
                               effective_date=date.today())
    assert client.get(status_url, {"on": "2024-06-01"}, HTTP_ACCEPT="application/json",
                      HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_list_rows_are_what_drf_builds_from_the_declared_fields(register: Register):
    """OrganisationOutput builds its dict directly for speed; it must equal DRF's generic output of the
    same declared fields (the schema's), for every kind of row, in both languages."""
    from django.utils import translation
    from rest_framework import serializers

    from members.api.serializers import OrganisationOutput
    from members.public.selectors import public_organisations

    orgs = list(public_organisations())
    assert len(orgs) >= 5 and any(o.left_on for o in orgs) and any(not o.left_on for o in orgs)
    assert any(o.public_uscc != o.uscc for o in orgs)  # an individual business's masked code
    for language in ("zh-hans", "en"):
        with translation.override(language):
            fast = OrganisationOutput(orgs, many=True).data
            generic = [serializers.ModelSerializer.to_representation(OrganisationOutput(o), o) for o in orgs]
            assert [dict(row) for row in fast] == [dict(row) for row in generic]
            assert set(fast[0]) == set(OrganisationOutput.Meta.fields)


def test_status_on_a_date_is_what_the_event_log_says_for_every_organisation_and_day(client, register: Register,
                                                                                   django_assert_max_num_queries):
    """The status is read with the organisation (one query); it must be ``status_on`` exactly."""
    from datetime import date

    from members.selectors import status_on

    days = ["2022-12-31", "2023-01-10", "2023-02-01", "2023-03-01", "2023-06-29", "2023-06-30", "2024-01-05",
            "2024-02-01", "2024-03-01", "2024-05-19", "2024-05-20", "2026-01-01"]
    for org in (register.current, register.rejoined, register.withdrawn, register.revoked, register.individual):
        for on in days:
            with django_assert_max_num_queries(3):  # stamp, organisation with its status, details versions
                response, data = get(client, f"/api/v1/organizations/{org.uscc}/status/", on=on)
            assert response.status_code == 200
            assert data["status"] == status_on(org, date.fromisoformat(on)), (org.name, on)
