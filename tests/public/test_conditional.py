"""Conditional requests: a client that has the page gets 304 without the page being built."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from members import services
from tests.factories import OrganisationFactory
from tests.helpers import act
from tests.public.seed import Register

pytestmark = pytest.mark.django_db

URLS = ["public:register", "public:home", "public:export_csv", "public:export_json", "public:feed"]


@pytest.mark.parametrize("name", URLS)
def test_it_answers_304_to_a_matching_etag_without_building_the_page(client, register, name,
                                                                     django_assert_num_queries):
    client.get(reverse(name))  # the first visit may set the CSRF cookie, which the ETag covers
    first = client.get(reverse(name))
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    # The register stamp, nothing else; the home page adds one query for its bulletins and news.
    with django_assert_num_queries(2 if name == "public:home" else 1):
        again = client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_it_answers_304_to_if_modified_since(client, register: Register):
    first = client.get(reverse("public:register"))
    again = client.get(reverse("public:register"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_membership_change_invalidates_the_etag(client, register: Register):
    url = reverse("public:profile", args=[register.current.pk])
    client.get(url)
    first = client.get(url)
    services.membership_revoke(act(), register.current, reason="x", public_notice="公开通报内容",
                               effective_date=date.today())
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "公开通报内容" in again.content.decode()


def test_a_new_applicant_changes_the_etag_too(client, register: Register):
    """Cheap and safe: any organisation row counts, even one that is not public yet."""
    client.get(reverse("public:register"))
    first = client.get(reverse("public:register"))
    assert client.get(reverse("public:register"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    OrganisationFactory()
    assert client.get(reverse("public:register"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_etag_differs_between_languages_and_login_states(client, register: Register):
    url = reverse("public:register")
    zh = client.get(url)
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert zh["ETag"] != en["ETag"]
    client.cookies["sessionid"] = "someone-else"
    assert client.get(url, HTTP_IF_NONE_MATCH=zh["ETag"]).status_code == 200
