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
    assert later.drain()
    assert cache.get(a) == "page" and cache.get(b) == 7
    assert later.is_missing(later.pending(a))


def test_the_writes_are_made_by_the_writer_thread_and_seen_meanwhile(clean_cache, monkeypatch):
    """The request's thread returns at once (the next request is not kept waiting) while the writer
    makes the writes; until it has, every request of the process reads them from what is in flight."""
    import threading

    release, writing = threading.Event(), []
    real_set_many = type(cache._connections[cache._alias]).set_many  # the backend class's (LocMemCache)

    def slow_set_many(self, data, timeout=None, version=None):
        writing.append(threading.current_thread().name)
        assert release.wait(10)
        return real_set_many(self, data, timeout, version)

    monkeypatch.setattr(type(cache._connections[cache._alias]), "set_many", slow_set_many)
    a = key("a")
    request_started.send(sender=None)
    later.set_later(a, "page", 300)
    request_finished.send(sender=None)  # returns while the writer waits
    assert later.pending(a) == "page"  # another request of this process reads it meanwhile
    release.set()
    assert later.drain()
    assert writing == ["page-cache-writer"] and cache.get(a) == "page" and later.is_missing(later.pending(a))


def test_a_forked_process_writes_with_its_own_writer(clean_cache):
    import os

    later.flush()
    request_started.send(sender=None)
    later.set_later(key("parent"), 1, 60)
    request_finished.send(sender=None)
    assert later.drain()
    child = os.fork()
    if child == 0:  # the child: no threads of the parent; it must start its own writer
        code = 1
        try:
            b = key("child")
            request_started.send(sender=None)
            later.set_later(b, "child", 60)
            request_finished.send(sender=None)
            code = 0 if later.drain() and cache.get(b) == "child" else 2
        finally:
            os._exit(code)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


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
        assert later.drain()
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


def test_with_redis_the_writes_are_one_set_each_with_their_own_timeouts(settings, monkeypatch):
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
        from members.core.cache import PrefixedRedisCache

        real = PrefixedRedisCache.set_each

        def counted(self, items):
            calls.append(sorted(items))
            return real(self, items)

        monkeypatch.setattr(PrefixedRedisCache, "set_each", counted)
        request_finished.send(sender=None)
        assert later.drain()
        assert calls == [sorted([a, b])]
        assert cache.get(a) == "page" and cache.get(b) == 7
        client = cache._cache.get_client(write=True)
        assert 50 < client.ttl(cache.make_and_validate_key(b)) <= 60 < client.ttl(cache.make_and_validate_key(a))
    finally:
        cache.clear()


def test_a_read_prefetched_while_a_write_was_in_flight_finds_it(clean_cache, monkeypatch, rf):
    """prefetch_keys takes what is in flight before reading the cache: a write that ends between the two
    is in one or the other, never in neither (the next request would rebuild the page)."""
    import threading

    from members.public import conditional

    release = threading.Event()
    backend = type(cache._connections[cache._alias])
    real_set_many = backend.set_many

    def held(self, data, timeout=None, version=None):
        assert release.wait(10)
        return real_set_many(self, data, timeout, version)

    monkeypatch.setattr(backend, "set_many", held)
    a = key("a")
    request_started.send(sender=None)
    later.set_later(a, "page", 300)
    request_finished.send(sender=None)
    request = rf.get("/")
    conditional.prefetch_keys(request, {a})  # the write is held: the cache has nothing yet
    release.set()
    assert later.drain() and later.is_missing(later.pending(a))
    monkeypatch.setattr(later, "cache", None)  # _read must not need the cache: the prefetch has it
    monkeypatch.setattr(conditional, "cache", None)
    assert conditional._read(request, a) == "page"


def test_with_a_cache_that_keeps_nothing_nothing_is_read_back_from_the_writer(settings):
    """The dummy cache (the public tests' default, or a deployment with caching off) keeps nothing: a page
    it was handed is not served again from what is in flight; each request builds its own."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    a = key("a")
    request_started.send(sender=None)
    later.set_later(a, "page", 300)
    request_finished.send(sender=None)
    assert later.is_missing(later.pending(a)) and later.in_flight([a]) == {}
