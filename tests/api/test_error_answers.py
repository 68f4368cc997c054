"""Bad paging and filter input is the client's mistake: 400 in the one error shape, never a 404 or a
silently replaced value; the schema documents each error status with that shape."""

from __future__ import annotations

import base64

import pytest

from tests.factories import make_signatory
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_an_undecodable_cursor_is_a_400_naming_the_parameter(client):
    error = assert_error(client.get("/api/v1/organizations/?cursor=abc"), 400, "invalid")
    assert list(error["fields"]) == ["cursor"]


@pytest.mark.parametrize("position", ["p=a\x00b", "p=a%00b", "r=1&p=%00", "p=%ED%A0%80a"])
def test_a_cursor_hiding_nul_or_a_lone_surrogate_is_a_400(client, position):
    """The cursor is base64, so the NUL middleware never sees what is inside it; PostgreSQL cannot compare
    a NUL (this was a 500 there). A byte sequence of a lone surrogate decodes to U+FFFD: still a page."""
    make_signatory()
    token = base64.b64encode(position.encode()).decode()
    response = client.get("/api/v1/organizations/", {"cursor": token})
    if "%ED" in position:
        assert response.status_code == 200
    else:
        error = assert_error(response, 400, "invalid")
        assert list(error["fields"]) == ["cursor"]


@pytest.mark.parametrize("size", ["-1", "0", "101", "100000", "abc"])
def test_a_page_size_outside_one_to_a_hundred_is_refused(client, size):
    error = assert_error(client.get(f"/api/v1/organizations/?page_size={size}"), 400, "invalid")
    assert list(error["fields"]) == ["page_size"]
    assert_error(client.get(f"/api/v1/notices/?page_size={size}"), 400, "invalid")


def test_a_valid_page_size_pages(client):
    for _ in range(3):
        make_signatory()
    body = client.get("/api/v1/organizations/?page_size=2").json()
    assert len(body["results"]) == 2 and body["next"]
    assert client.get(body["next"]).status_code == 200


def test_an_empty_typed_filter_is_refused_but_an_empty_search_is_not(client):
    assert list(assert_error(client.get("/api/v1/organizations/?joined_to="), 400, "invalid")["fields"]) == [
        "joined_to"]
    assert client.get("/api/v1/organizations/?q=").status_code == 200


def test_every_operation_documents_its_error_answers_in_the_one_shape(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert schema["components"]["schemas"]["ApiError"]["required"] == ["error"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "503"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if method != "get":
                assert "403" in responses, (method, path)
    listing = schema["paths"]["/api/v1/organizations/"]["get"]
    size = next(p for p in listing["parameters"] if p["name"] == "page_size")
    assert (size["schema"]["minimum"], size["schema"]["maximum"]) == (1, 100)
