"""Keyset pages of the HTML register: deep pages, going back, inserts, hostile cursors, bounded counts."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest
from django.urls import reverse

from members.public.paging import Cursor
from members.public.selectors import COUNT_CAP
from members.sorting import name_sort_key
from tests.factories import OrganisationFactory, make_signatory
from tests.public.test_register import next_link

pytestmark = pytest.mark.django_db

URL = reverse("public:register")


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [o.name for o in response.context["organisations"]]


def walk(client, query: str, rel: str = "next") -> list[list[str]]:
    pages = []
    response = client.get(URL + "?" + query)
    pages.append(listed(response))
    while f'rel="{rel}"' in response.content.decode():
        response = client.get(URL + "?" + next_link(response.content.decode(), rel))
        pages.append(listed(response))
    return pages


@pytest.fixture
def fifty(db) -> list[str]:
    names = [f"{city}第{i}科技有限公司" for i, city in enumerate(["中山", "北京", "阿坝", "上海", "重庆"] * 10)]
    for name in names:
        make_signatory(OrganisationFactory(name=name))
    return sorted(names, key=name_sort_key)


def test_following_next_links_visits_every_organisation_once_in_pinyin_order(client, fifty):
    pages = walk(client, "per_page=20")
    assert [len(p) for p in pages] == [20, 20, 10]
    assert sum(pages, []) == fifty


@pytest.mark.parametrize("sort", ["-name", "joined_on", "-joined_on"])
def test_every_sort_pages_without_gaps_or_repeats(client, fifty, sort):
    pages = walk(client, f"per_page=20&sort={sort}")
    everything = listed(client.get(URL, {"per_page": 100, "sort": sort}))
    assert sum(pages, []) == everything


def test_previous_links_lead_back_to_the_same_pages(client, fifty):
    forward = walk(client, "per_page=20")
    response = client.get(URL + "?per_page=20")
    for _ in range(2):
        response = client.get(URL + "?" + next_link(response.content.decode()))
    assert listed(response) == forward[2]
    back = client.get(URL + "?" + next_link(response.content.decode(), "prev"))
    assert listed(back) == forward[1]
    assert "第 2 页，共 3 页" in back.content.decode()
    first = client.get(URL + "?" + next_link(back.content.decode(), "prev"))
    assert listed(first) == forward[0] and 'rel="prev"' not in first.content.decode()


def test_an_insert_before_the_cursor_does_not_shift_the_next_page(client, fifty):
    first = client.get(URL + "?per_page=20")
    link = next_link(first.content.decode())
    make_signatory(OrganisationFactory(name="阿阿阿科技有限公司"))  # sorts first
    assert listed(client.get(URL + "?" + link)) == fifty[20:40]


def _token(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


HOSTILE_CURSORS = [
    _token("a", 2**63, 0, 2), _token("a", -(2**63) - 1, 1, 2), _token("a", 1, 0, 2**64),  # beyond bigint
    _token("a\x00b", 1, 0, 2), _token("\ud800", 1, 0, 2), _token(["a"], 1, 0, 2),  # NUL, lone surrogate, a list
]


@pytest.mark.parametrize("cursor", ["garbage", "", "eyJ4IjoxfQ", "W251bGwsMSwwLDJd", "x" * 5000, *HOSTILE_CURSORS])
def test_a_damaged_cursor_shows_the_first_page(client, fifty, cursor):
    assert listed(client.get(URL, {"cursor": cursor, "per_page": 20})) == fifty[:20]
    assert listed(client.get(URL, {"cursor": cursor, "per_page": 20, "sort": "-name"})) == fifty[::-1][:20]


@pytest.mark.parametrize("sort", ["name", "-name", "joined_on", "-joined_on"])
def test_compiled_shapes_give_the_pages_keyset_paging_gives(fifty, sort, django_assert_num_queries):
    """KeysetShapes (the plain register's deep pages) against keyset_page over the same queryset: every
    page forward and back, for each ordering and page size, the same rows and cursors, in one query."""
    from members.filters import SORTS
    from members.public.paging import KeysetShapes, decode_cursor, keyset_page
    from members.public.selectors import public_organisations
    from members.public.views import _POSITION, _ROW_FIELDS

    def base():
        return public_organisations().values_list(*_ROW_FIELDS, named=True)

    shapes = KeysetShapes(base)
    ordering = SORTS[sort]
    at = _POSITION[ordering[0].lstrip("-")]

    def position(row):
        return row[at], row[0]

    is_date = "joined_on" in sort
    for per_page in (7, 20):
        for _twice in range(2):  # compiled the first time, from the kept SQL the second
            cursor, seen, back = None, [], []
            while True:
                with django_assert_num_queries(1):
                    page = shapes.page(ordering, cursor, per_page, position)
                plain = keyset_page(base(), ordering, cursor, per_page, position=position)
                assert page.object_list == plain.object_list and page.number == plain.number
                assert (page.next_cursor, page.previous_cursor) == (plain.next_cursor, plain.previous_cursor)
                assert type(page.object_list[0]) is type(plain.object_list[0])  # named rows alike
                seen += [row.name for row in page.object_list]
                if page.previous_cursor:
                    back.append(decode_cursor(page.previous_cursor, is_date))
                if not page.next_cursor:
                    break
                cursor = decode_cursor(page.next_cursor, is_date)
            assert sorted(seen, key=name_sort_key) == fifty and len(seen) == len(set(seen))
            for previous in back:  # going back: the same pages keyset paging gives
                page = shapes.page(ordering, previous, per_page, position)
                plain = keyset_page(base(), ordering, previous, per_page, position=position)
                assert page.object_list == plain.object_list and page.number == plain.number
                assert (page.next_cursor, page.previous_cursor) == (plain.next_cursor, plain.previous_cursor)
    assert isinstance(page.object_list[0].joined_on, date)  # the ORM's converters ran (SQLite: text)


def test_a_cursor_of_the_wrong_type_for_the_sort_shows_the_first_page(client, fifty):
    name_cursor = Cursor(name_sort_key("北京"), 1).encode()
    response = client.get(URL, {"cursor": name_cursor, "sort": "joined_on"})
    assert response.status_code == 200 and len(listed(response)) == 20


def test_a_search_count_is_bounded(client, db, settings):
    from members.models import Organisation

    base = Organisation.objects.count()
    for _ in range(3):
        make_signatory(OrganisationFactory(name="有界计数科技有限公司"))
    response = client.get(URL, {"q": "有界计数"})
    assert response.context["total"] == 3 and not response.context["total_capped"]
    assert base == 0 and COUNT_CAP >= 1000


@pytest.mark.parametrize("sort", ["name", "-name", "joined_on", "-joined_on"])
def test_a_new_search_reads_its_first_page_and_count_in_one_query_the_same_as_keyset_paging(fifty, sort,
                                                                                           django_assert_num_queries):
    from datetime import date

    from members.filters import SORTS
    from members.public.paging import first_page_with_count, keyset_page
    from members.public.selectors import public_organisations
    from members.public.views import _POSITION, _ROW_FIELDS

    qs = public_organisations().filter(name__contains="科技").values_list(*_ROW_FIELDS, named=True)
    ordering = SORTS[sort]
    at = _POSITION[ordering[0].lstrip("-")]
    with django_assert_num_queries(1):
        page, count = first_page_with_count(qs, ordering, 20, COUNT_CAP, at)
    plain = keyset_page(qs, ordering, None, 20, position=lambda row: (row[at], row[0]))
    assert count == 50 and page is not None
    assert page.object_list == plain.object_list and len(page.object_list) == 20  # ties broken by id alike
    assert page.next_cursor == plain.next_cursor and page.number == 1 and not page.has_previous
    assert isinstance(page.object_list[0].joined_on, date)  # the ORM's converters ran (SQLite: text)
    capped, over = first_page_with_count(qs, ordering, 20, 10, at)
    assert capped is None and over == 11  # more than the cap: the caller reads the page in order


@pytest.mark.parametrize("sort", ["name", "-name", "joined_on", "-joined_on"])
def test_a_search_pages_without_gaps_or_repeats_in_every_sort(client, fifty, sort):
    pages = walk(client, f"q=科技有限&per_page=20&sort={sort}")
    assert [len(p) for p in pages] == [20, 20, 10]
    assert sorted(sum(pages, []), key=name_sort_key) == fifty
    assert sum(pages, []) == listed(client.get(URL, {"per_page": 100, "sort": sort}))
