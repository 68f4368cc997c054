"""Page-cache writes wait for the response to be closed (members.public.later), and are made then."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from members.public import later


@pytest.fixture
def clean_cache(settings):
    """A real cache (the public tests' default is the dummy one) and nothing pending from before."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "later-test"}}
    later.flush()
    yield
    later.flush()


def key(name: str) -> str:
    return f"later-test-{name}-{uuid.uuid4().hex}"


def test_inside_a_request_writes_wait_for_its_end_and_are_seen_by_its_own_reads(clean_cache):
    a, b, c = key("a"), key("b"), key("c")
    request_started.send(sender=None)
    later.set_later(a, "page", 300)
    later.set_later(b, 7, 60)
    assert cache.get(a) is None and cache.get(b) is None  # not yet written
    assert later.pending(a) == "page" and later.pending(b) == 7 and later.is_missing(later.pending(c))
    request_finished.send(sender=None)
    assert cache.get(a) == "page" and cache.get(b) == 7
    assert later.is_missing(later.pending(a))


def test_outside_a_request_a_write_is_made_at_once(clean_cache):
    now = key("now")
    later.set_later(now, "value", 300)
    assert cache.get(now) == "value"


def test_a_failed_write_after_the_response_is_logged_not_raised(clean_cache, monkeypatch, caplog):
    class Gone:
        def set_many(self, *args, **kwargs):
            raise ConnectionError("cache server gone")

    a = key("a")
    request_started.send(sender=None)
    later.set_later(a, "page", 300)
    monkeypatch.setattr(later, "cache", Gone())
    with caplog.at_level(logging.WARNING, logger="members.public.later"):
        request_finished.send(sender=None)
    assert "page cache writes after the response failed" in caplog.text
    assert later.is_missing(later.pending(a))


@pytest.mark.django_db
def test_a_cold_page_is_in_the_cache_once_its_response_is_closed(client, clean_cache, django_assert_num_queries):
    from django.urls import reverse

    from tests.factories import make_signatory

    make_signatory()
    url = reverse("public:register") + "?q=测试"
    client.get(url)  # the test client closes the response, as a WSGI server does after sending it
    with django_assert_num_queries(1):  # the register's stamp; page and count came from the cache
        assert client.get(url).status_code == 200


def test_with_redis_the_writes_are_one_set_each_with_their_own_timeouts(settings):
    """Production's cache: one round trip (PrefixedRedisCache.set_each), each key its own time-out."""
    import secrets
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "members.core.cache.PrefixedRedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/3",
                                   "KEY_PREFIX": "later-" + secrets.token_hex(4)}}
    calls = []
    try:
        a, b = key("a"), key("b")
        request_started.send(sender=None)
        later.set_later(a, "page", 300)
        later.set_later(b, 7, 60)
        real = cache.set_each
        cache.set_each = lambda items: calls.append(sorted(items)) or real(items)
        request_finished.send(sender=None)
        assert calls == [sorted([a, b])]
        assert cache.get(a) == "page" and cache.get(b) == 7
        client = cache._cache.get_client(write=True)
        assert 50 < client.ttl(cache.make_and_validate_key(b)) <= 60 < client.ttl(cache.make_and_validate_key(a))
    finally:
        cache.clear()
