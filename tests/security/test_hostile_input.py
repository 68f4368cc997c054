"""Hostile input: NUL and lone surrogates (which PostgreSQL cannot store or even encode) anywhere in a
request get a localised 400, JSON in the one error shape under /api/, a page elsewhere; nothing is
written. Unknown API paths answer JSON 404, unsupported methods JSON 405."""

from __future__ import annotations

import json

import pytest

from members.models import Organisation
from tests.factories import make_signatory
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/api/v1/organizations/%00/",
    "/api/v1/organizations/{code}%00/",
    "/api/v1/organizations/{code}%00/status/",
    "/api/v1/organizations/?search=%00",
    "/api/v1/organizations/?ordering=name%00",
    "/api/v1/organizations/?cursor=%00",
])
def test_nul_in_an_api_path_or_query_is_a_json_400(client, path):
    org = make_signatory()
    response = client.get(path.format(code=org.uscc))
    error = assert_error(response, 400, "invalid_characters")
    assert "空字符" in error["message"]


def test_the_refusal_is_in_english_for_an_english_client(client):
    response = client.get("/api/v1/organizations/%00/", HTTP_ACCEPT_LANGUAGE="en")
    assert "null character" in assert_error(response, 400, "invalid_characters")["message"]


@pytest.mark.parametrize("path", ["/register/%00/", "/register/?q=%00", "/complaints/track/?code=a%00b"])
def test_nul_on_a_page_is_an_html_400(client, path):
    response = client.get(path)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert "请求无效" in response.content.decode()


def test_nul_in_a_form_field_is_refused_and_nothing_is_written(client, rep_a):
    client.force_login(rep_a)
    before = Organisation.objects.count()
    response = client.post("/complaints/track/", {"code": "ABC\x00DEF"})
    assert response.status_code == 400
    assert Organisation.objects.count() == before


@pytest.mark.parametrize("body", ['{"reason": "a\\u0000b"}', '{"reason": "\\ud800"}', '{"a\\u0000": 1}',
                                  '{"items": [{"x": "\\udfff"}]}'])
def test_nul_or_a_lone_surrogate_in_a_json_body_is_a_json_400(client, body):
    response = client.post("/api/v1/portal/withdrawal/", data=body, content_type="application/json")
    assert_error(response, 400, "invalid_characters")


def test_nul_in_a_cookie_is_refused(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/register/").status_code == 400


def test_ordinary_chinese_input_passes(client):
    org = make_signatory()
    assert client.get(f"/api/v1/organizations/{org.uscc}/").status_code == 200
    assert client.get("/api/v1/organizations/?search=甲方").status_code == 200
    assert client.post("/api/v1/organizations/", data=json.dumps({"name": "公司"}),
                       content_type="application/json").status_code == 405


def test_an_unknown_api_path_is_a_json_404(client):
    assert_error(client.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(client.get("/api/nothing"), 404, "not_found")


def test_an_unsupported_method_is_a_json_405(client):
    org = make_signatory()
    assert_error(client.delete(f"/api/v1/organizations/{org.uscc}/"), 405, "method_not_allowed")
    assert_error(client.put("/api/v1/organizations/", data="{}", content_type="application/json"), 405,
                 "method_not_allowed")


def test_an_unimplemented_method_is_a_405_before_any_permission_check(client):
    response = client.generic("TRACE", "/api/v1/portal/withdrawals/")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert client.head("/api/v1/organizations/").status_code == 200
