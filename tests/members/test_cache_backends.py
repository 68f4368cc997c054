"""The shared caches: the embedded file cache culls without listing its folder on every write, and the
Redis cache reuses one client per connection pool; both still store, count and cull correctly."""

from __future__ import annotations

import secrets
import socket

import pytest

from members.core.cache import LockingFileBasedCache, PrefixedRedisCache


def test_it_culls_the_file_cache_without_listing_the_folder_on_every_write(tmp_path, monkeypatch):
    cache = LockingFileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 100, "CULL_FREQUENCY": 2}})
    listings = []
    original = LockingFileBasedCache._list_cache_files
    monkeypatch.setattr(LockingFileBasedCache, "_list_cache_files",
                        lambda self: listings.append(1) or original(self))
    for i in range(400):
        cache.set(f"k{i}", i, 60)
    files = len(list(tmp_path.glob("*.djcache")))
    assert len(listings) <= 400 // 2 + 1  # every (MAX_ENTRIES // 50) = 2nd write at most
    assert files <= 100 + 2  # culled as Django would, a couple of writes late at most
    assert cache.get("k399") == 399


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_reuses_one_client_and_still_counts_exactly():
    prefix = "test-reuse-" + secrets.token_hex(4)
    cache = PrefixedRedisCache("redis://127.0.0.1:6379/3", {"KEY_PREFIX": prefix})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache.add("n", 0, 60) is True and cache.add("n", 5, 60) is False
    assert [cache.incr("n") for _ in range(3)] == [1, 2, 3]
    cache.set("page", "x" * 10000, 60)
    assert cache.get("page") == "x" * 10000
    cache.clear()
    assert cache.get("n") is None


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_set_each_writes_every_key_with_its_own_timeout_in_one_round_trip(monkeypatch):
    prefix = "test-each-" + secrets.token_hex(4)
    cache = PrefixedRedisCache("redis://127.0.0.1:6379/3", {"KEY_PREFIX": prefix})
    cache.set("gone", "old", 60)
    client = cache._cache.get_client(write=True)
    executed = []
    pipeline_class = type(client.pipeline())
    original = pipeline_class.execute
    monkeypatch.setattr(pipeline_class, "execute", lambda self, *a, **k: executed.append(len(self)) or original(
        self, *a, **k))
    cache.set_each({"page": ("x" * 5000, 300), "count": (7, 60), "forever": ({"a": [1]}, None), "gone": ("new", 0)})
    assert executed == [4]  # one pipeline of four commands, no MULTI/EXEC
    assert cache.get("page") == "x" * 5000 and cache.get("count") == 7 and cache.get("forever") == {"a": [1]}
    assert cache.get("gone") is None  # a time-out of 0 deletes, as set() does
    ttl = {name: client.ttl(cache.make_and_validate_key(name)) for name in ("page", "count", "forever")}
    assert 290 < ttl["page"] <= 300 and 50 < ttl["count"] <= 60 and ttl["forever"] == -1
    cache.clear()
