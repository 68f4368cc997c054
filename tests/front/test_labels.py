"""Stored legal-basis labels are shown in the reader's language, whatever form was stored."""

from __future__ import annotations

import pytest
from django.utils import translation

from members.core.labels import article_number, chinese_label, legal_basis_display


@pytest.mark.parametrize(("stored", "number"), [
    ("第二十五条", 25), ("第十七条", 17), ("第一条", 1), ("第二十条", 20), ("公约第二十一条", 21),
    ("art:24", 24), ("ART:3", 3), ("26", 26), ("第一百零二条", 102), ("理由", None), ("", None),
])
def test_it_reads_the_article_number_from_any_stored_form(stored, number):
    assert article_number(stored) == number


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 21, 25, 26, 100, 102, 110, 125])
def test_labels_and_numbers_round_trip(n):
    assert article_number(chinese_label(n)) == n


def test_it_shows_the_article_in_the_active_language():
    with translation.override("en"):
        assert legal_basis_display("第二十五条") == "Article 25 of the Convention"
        assert legal_basis_display("art:21") == "Article 21 of the Convention"
        assert legal_basis_display("自由文本") == "自由文本"
    with translation.override("zh-hans"):
        assert legal_basis_display("art:21") == "第二十一条"
        assert legal_basis_display("第二十五条") == "第二十五条"
