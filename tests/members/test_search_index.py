"""Partial-name search reads an index on each database, and the index follows every write."""

from __future__ import annotations

import pytest
from django.db import connection

from members import search
from members.filters import search_q
from members.public.selectors import public_organisations
from tests.factories import OrganisationFactory, make_signatory

pytestmark = pytest.mark.django_db


def found(term: str) -> list[str]:
    return list(public_organisations().filter(search_q(term)).order_by("name_sort").values_list("name", flat=True))


def test_a_renamed_organisation_is_found_by_its_new_name_only():
    org = make_signatory(OrganisationFactory(name="旧名称科技有限公司", name_en="Old Name Ltd"))
    assert found("旧名称") == ["旧名称科技有限公司"]
    org.name, org.name_en = "新名称数据有限公司", "New Data Ltd"
    org.save()
    assert found("旧名称") == [] and found("old name") == []
    assert found("新名称数据") == ["新名称数据有限公司"] and found("NEW DATA") == ["新名称数据有限公司"]


def test_short_and_long_terms_find_the_same_rows_as_a_plain_scan():
    for name in ["云端政务科技有限公司", "政务云科技有限公司", "智慧城市有限公司"]:
        make_signatory(OrganisationFactory(name=name))
    assert found("政务") == ["云端政务科技有限公司", "政务云科技有限公司"]  # 2 characters: LIKE
    assert found("政务云") == ["政务云科技有限公司"]  # 3 and more: the trigram index
    assert found('"政务') == [] and found("%") == [] and found("政务%") == []  # no query language leaks


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only")
def test_sqlite_puts_back_triggers_a_table_rebuild_dropped():
    make_signatory(OrganisationFactory(name="触发器测试有限公司"))
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER members_organisation_fts_ai")
    make_signatory(OrganisationFactory(name="缺触发器时写入有限公司"))
    search.ensure_sqlite_index()  # what post_migrate does after every migrate
    assert found("缺触发器时写入") == ["缺触发器时写入有限公司"]
    make_signatory(OrganisationFactory(name="恢复之后写入有限公司"))
    assert found("恢复之后写入") == ["恢复之后写入有限公司"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_answers_a_partial_chinese_name_from_the_trigram_index():
    make_signatory(OrganisationFactory(name="云端政务科技有限公司"))
    qs = public_organisations().filter(search_q("云端政务")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        plan = qs.explain()
    assert "org_name_plain_trgm_idx" in plan  # Chinese has no case: the name as written, not UPPER(name)
    mixed = public_organisations().filter(search_q("云端ABC")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert "org_name_trgm_idx" in mixed.explain()  # with a cased letter: UPPER(name), a Chinese term only
    english = public_organisations().filter(search.name_q("cloud gov")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        assert "org_name_en_trgm_idx" in english.explain()


@pytest.mark.parametrize(("term", "expected"), [
    ("云端政务", True), ("公司00012", True), ("北京（海淀）", True), ("数据·智能", True), ("ひらがな", True),
    ("00012", True), ("云端ABC", False), ("Ωμέγα", False), ("ⓐⓑⓒ", False), ("ǅ音", False), ("ß数据", False),
    ("ｃｌｏｕｄ数据", False), ("µ数据", False),
])
def test_caseless_is_true_only_without_any_letter_that_has_a_case(term, expected):
    assert search.caseless(term) is expected


def test_a_caseless_term_finds_what_the_case_insensitive_comparison_finds():
    """Chinese terms go through the plain LIKE on PostgreSQL (the FTS table on SQLite): the same names as
    UPPER(name) LIKE UPPER(term), whatever the other characters of the names."""
    from django.db.models import Q

    names = ["云端政务科技有限公司", "云端政务ABC有限公司", "ǅ云端政务有限公司", "云端政务ßµ有限公司",
             "北京（海淀）数据·智能有限公司", "公司00012科技", "云端政 务有限公司"]
    for name in names:
        make_signatory(OrganisationFactory(name=name))
    for term in ["云端政务", "（海淀）数据·智能", "公司00012", "政务ABC", "端政务ß"]:
        upper = sorted(public_organisations().filter(Q(name__icontains=term)).values_list("name", flat=True))
        assert sorted(found(term)) == upper and upper, term
