"""Read-only API of the convention's versions and articles."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_versions_and_serves_the_current_one_article_by_article(client):
    versions = client.get("/api/v1/convention/versions/").json()
    assert [v["number"] for v in versions] == [1] and versions[0]["is_current"] is True
    current = client.get("/api/v1/convention/current/").json()
    assert current["number"] == 1
    assert current["articles"][22]["number"] == 23 and current["articles"][22]["label"] == "第二十三条"
    assert client.get("/api/v1/convention/versions/1/").json()["articles"] == current["articles"]


def test_it_serves_one_article_and_404s_in_the_error_shape(client):
    article = client.get("/api/v1/convention/versions/1/articles/25/").json()
    assert article["label"] == "第二十五条" and article["paragraphs"]
    missing = client.get("/api/v1/convention/versions/1/articles/999/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/convention/versions/5/").status_code == 404
