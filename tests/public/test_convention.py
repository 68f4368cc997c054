"""The convention pages: the current text, earlier versions and the difference between two versions."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from convention.models import Article, ConventionVersion
from convention.text.selectors import Segment, diff_articles, diff_text

pytestmark = pytest.mark.django_db


def make_version_2() -> ConventionVersion:
    v1 = ConventionVersion.objects.get(number=1)
    v2 = ConventionVersion.objects.create(number=2, title=v1.title, effective_date=date(2025, 1, 1),
                                          adopted_note="第一次修订")
    for a in v1.articles.all():
        text = a.text
        if a.number == 3:
            text = text.replace("。", "，并遵守本修订条款。", 1)
        if a.number == 26:
            continue
        Article.objects.create(version=v2, number=a.number, chapter_number=a.chapter_number,
                               chapter_title=a.chapter_title, text=text)
    Article.objects.create(version=v2, number=99, chapter_number=9, chapter_title="附则", text="新增的第九十九条。")
    return v2


def test_it_shows_the_current_text_article_by_article(client):
    response = client.get(reverse("convention:current"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "第二十三条" in page and 'id="art-23"' in page
    assert len(response.context["articles"]) == ConventionVersion.objects.get(number=1).articles.count()


def test_it_shows_an_earlier_version_as_not_current(client):
    make_version_2()
    current = client.get(reverse("convention:current"))
    assert current.context["version"].number == 2
    old = client.get(reverse("convention:version", args=[1]))
    assert old.status_code == 200 and not old.context["is_current"]
    assert "非现行版本" in old.content.decode()
    listing = client.get(reverse("convention:versions")).content.decode()
    assert reverse("convention:version", args=[1]) in listing and "第一次修订" in listing
    assert client.get(reverse("convention:version", args=[9])).status_code == 404


def test_the_diff_marks_inserted_and_deleted_text_article_by_article(client):
    make_version_2()
    response = client.get(reverse("convention:diff"), {"from": 1, "to": 2})
    rows = {r.number: r for r in response.context["rows"]}
    assert rows[3].change == "changed"
    assert Segment("insert", "，并遵守本修订条款") in rows[3].segments
    assert rows[26].change == "removed" and rows[99].change == "added"
    assert rows[1].change == "unchanged"
    page = response.content.decode()
    assert "<ins>，并遵守本修订条款</ins>" in page and "<ins>新增的第九十九条。</ins>" in page
    assert "<del>" in page


def test_the_diff_page_defaults_to_the_latest_two_versions_and_rejects_unknown_ones(client):
    assert client.get(reverse("convention:diff")).status_code == 200  # one version: nothing to compare
    make_version_2()
    response = client.get(reverse("convention:diff"))
    assert response.status_code == 302 and response["Location"].endswith("?from=1&to=2")
    assert client.get(reverse("convention:diff"), {"from": 1, "to": 7}).status_code == 404


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("甲乙丙", "甲乙丙", [Segment("equal", "甲乙丙")]),
    ("甲乙丙", "甲丁丙", [Segment("equal", "甲"), Segment("delete", "乙"), Segment("insert", "丁"),
                      Segment("equal", "丙")]),
    ("", "新", [Segment("insert", "新")]),
    ("旧", "", [Segment("delete", "旧")]),
])
def test_diff_text_is_character_level(old, new, expected):
    assert diff_text(old, new) == expected


def test_diff_articles_matches_by_number():
    rows = diff_articles({1: "a", 2: "b"}, {2: "c", 3: "d"})
    assert [(r.number, r.change) for r in rows] == [(1, "removed"), (2, "changed"), (3, "added")]
    assert rows[0].label == "第一条"
