"""The register's form kept per language and page size (members.public.views._register_form) is the
markup a fresh render gives, the search term escaped; any other filter or an error renders it anew."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from members.core import jinja
from members.public import selectors, views

pytestmark = pytest.mark.django_db

TERMS = ["", "北京云端", 'a"<b>&\'c', "q-value-" + "0" * 24]


def fresh(request, form_data, errors, per_page) -> str:
    return str(jinja.render("members/register_form.jinja", {
        "form_data": form_data, "form_errors": errors, "q_value": form_data.get("q") or "",
        "choices": selectors.row_labels()["choices"], "selected_roles": request.GET.getlist("role"),
        "urls": views._register_urls(), "page_sizes": views.PAGE_SIZES, "per_page": per_page}, request))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("per_page", [20, 50])
def test_the_kept_form_is_the_fresh_form_for_every_term(language, per_page):
    with translation.override(language):
        for _ in range(2):  # the second time from the kept markup
            for term in TERMS:
                query = QueryDict(mutable=True)
                query["q"] = term
                request = RequestFactory().get("/register/", query)
                form_data = request.GET
                kept = views._register_form(request, form_data, {}, selectors.row_labels()["choices"],
                                            views._register_urls(), per_page)
                assert str(kept) == fresh(request, form_data, {}, per_page)


def test_a_filter_or_an_error_renders_the_form_anew(client):
    response = client.get(reverse("public:register"), {"q": "北京", "region": "110000"})
    assert '<option value="110000" selected>' in response.content.decode()
    response = client.get(reverse("public:register"), {"joined_from": "yesterday"})
    page = response.content.decode()
    assert 'class="errorlist"' in page and "<details class=\"fold\" open>" in page


def test_a_hostile_term_is_escaped_in_the_search_box(client):
    page = client.get(reverse("public:register"), {"q": '"><script>alert(1)</script>'}).content.decode()
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "<script>alert(1)" not in page
