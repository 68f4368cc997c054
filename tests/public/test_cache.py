"""Pages built from the register are reused until the register changes, and never served stale."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from members import services
from members.public import later
from tests.helpers import act
from tests.public.seed import Register

pytestmark = pytest.mark.django_db


@pytest.fixture
def locmem_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "register-cache-test"}}
    cache.clear()
    yield
    cache.clear()


def test_a_repeated_register_page_is_built_once(client, register: Register, locmem_cache,
                                                django_assert_num_queries):
    url = reverse("public:register") + "?status=signatory"
    first = client.get(url).content.decode()
    with django_assert_num_queries(1):  # the stamp only
        second = client.get(url).content.decode()
    assert register.current.name in second
    assert first.split('name="csrfmiddlewaretoken"')[0] == second.split('name="csrfmiddlewaretoken"')[0]


def test_a_change_to_the_register_is_seen_at_once(client, register: Register, locmem_cache):
    url = reverse("public:register") + "?status=signatory"
    assert register.current.name in client.get(url).content.decode()
    services.membership_revoke(act(), register.current, reason="r", public_notice="n",
                               effective_date=date.today())
    assert register.current.name not in client.get(url).content.decode()
    api = client.get("/api/v1/organizations/?status=signatory", HTTP_ACCEPT="application/json").json()
    assert register.current.name not in [o["name"] for o in api["results"]]


def test_a_repeated_api_page_is_built_once(client, register: Register, locmem_cache, django_assert_num_queries):
    url = "/api/v1/organizations/?page_size=2"
    first = client.get(url, HTTP_ACCEPT="application/json").json()
    with django_assert_num_queries(1):
        second = client.get(url, HTTP_ACCEPT="application/json").json()
    assert first == second and first["next"]


def test_the_language_and_format_are_part_of_the_key(client, register: Register, locmem_cache):
    url = "/api/v1/organizations/?status=signatory"
    client.get(url, HTTP_ACCEPT="application/json")
    html = client.get(url, HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")  # not the cached JSON of the same URL
    client.get(url, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert later.drain()  # the writer thread has stored what the three requests built
    assert len(cache._cache) == 3  # type: ignore[attr-defined]  # zh JSON, zh HTML, en JSON


def test_paging_and_new_searches_never_repeat_a_count(client, register: Register, locmem_cache,
                                                      django_assert_num_queries):
    from tests.factories import make_signatory
    from tests.public.test_register import next_link

    for _ in range(25):
        make_signatory()
    first = client.get(reverse("public:register"), {"per_page": 20})
    with django_assert_num_queries(2):  # the next page: stamp + one keyset page, no count
        client.get(reverse("public:register") + "?" + next_link(first.content.decode()))
    with django_assert_num_queries(2):  # a search never asked: stamp + its page and bounded count in one query
        client.get(reverse("public:register"), {"q": "北京测试科技"})
    searched = client.get(reverse("public:register"), {"q": "北京测试", "per_page": 20})
    with django_assert_num_queries(2):  # its next page: counted already
        client.get(reverse("public:register") + "?" + next_link(searched.content.decode()))


def test_a_cached_page_gets_a_fresh_csrf_token_that_works(register: Register, locmem_cache, django_assert_num_queries):
    from django.test import Client

    url = reverse("public:register")
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(1):  # the stamp only: the whole page came from the cache
        page = visitor.get(url).content.decode()
    assert "csrf-000" not in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_a_profile_reads_its_shell_from_the_process_once_per_register_state(client, register: Register,
                                                                             locmem_cache, monkeypatch):
    """The shell (header, navigation, footer) is kept in the process by its full key: the second profile
    reads nothing from the cache for it; a change to the register, a setting or the site identity
    forgets it."""
    from django.core.cache.backends.locmem import LocMemCache

    from members.public import conditional
    from members.public.identity import SiteIdentity

    conditional.forget_shells()
    reads: list[str] = []
    original = LocMemCache.get

    def counted(self, key, *args, **kwargs):
        reads.append(key)
        return original(self, key, *args, **kwargs)

    monkeypatch.setattr(LocMemCache, "get", counted)
    first = client.get(reverse("public:profile", args=[register.current.pk]))
    assert first.status_code == 200 and len(reads) == 1  # the shell, from the shared cache
    second = client.get(reverse("public:profile", args=[register.withdrawn.pk]))
    assert second.status_code == 200 and reads == reads[:1]  # from the process
    assert register.withdrawn.name in second.content.decode() and "</footer>" in second.content.decode()
    SiteIdentity(executive_body="某协会").save()
    assert conditional._SHELLS == {}
    client.get(reverse("public:profile", args=[register.current.pk]))
    assert len(reads) == 2
