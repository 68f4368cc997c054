"""A search and nothing else skips the filterset (members.public.selectors.search_term_only, searched):
the same organisations, count and page as the filterset gives, and whatever the form would refuse
still goes through the form."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from members.public import selectors
from tests.factories import OrganisationFactory, make_signatory

pytestmark = pytest.mark.django_db

TERMS = ["科技有限", "北京", "京", "Cloud", "cloud", "91310000", "913100007", "  数字  ", "", "   ", "100%_\\",
         "x" * 200, "Beijing 科技"]


@pytest.fixture
def orgs(db):
    names = ["北京数字科技有限公司", "上海云端科技有限公司", "北京100%_\\技术有限公司", "深圳数字软件有限公司"]
    made = [make_signatory(OrganisationFactory(name=name)) for name in names]
    made.append(make_signatory(OrganisationFactory(name="杭州网络科技有限公司", name_en="Hangzhou Cloud Ltd",
                                                   uscc="913100007178961234")))
    return made


@pytest.mark.parametrize("term", TERMS)
def test_the_search_finds_what_the_filterset_finds(orgs, term):
    params = QueryDict(mutable=True)
    params["q"] = term
    cleaned = selectors.search_term_only(params)
    assert cleaned == term.strip()
    expected = sorted(selectors.register_filter(params).qs.values_list("id", flat=True))
    assert sorted(selectors.searched(cleaned).values_list("id", flat=True)) == expected


@pytest.mark.parametrize("query", ["q=a&status=signatory", "q=a&q=b", "q=" + "x" * 201, "status=signatory",
                                   "q=a&sort=name", "cursor=abc", "", "q=a&role=developer"])
def test_anything_but_one_acceptable_term_goes_through_the_filterset(query):
    assert selectors.search_term_only(QueryDict(query)) is None


def _rows_and_total(html: str) -> tuple[list[str], str]:
    names = re.findall(r'<td class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    total = re.search(r"共找到[^<]*家[^<]*单位。", html)
    return names, total.group(0) if total else ""


@pytest.mark.parametrize("term", ["科技有限", "数字", "Cloud", "913100007", "", "无此单位"])
def test_a_search_page_is_the_page_the_filterset_gives(client, orgs, term):
    url = reverse("public:register")
    fast = client.get(url, {"q": term})
    full = client.get(url, {"q": term, "sort": "name"})  # the default sort, given: the filterset's way
    assert fast.status_code == full.status_code == 200
    assert fast.context["filter"] is None and full.context["filter"] is not None
    fast_rows, fast_total = _rows_and_total(fast.content.decode())
    assert (fast_rows, fast_total) == _rows_and_total(full.content.decode()) and fast_total
    assert fast.context["total"] == full.context["total"] and (bool(fast_rows) == (term != "无此单位"))
    assert f'value="{term}"' in fast.content.decode()
