"""Processes sharing one Redis database under different key prefixes never clear each other's keys.

Django's RedisCache.clear() is FLUSHDB; with two xdist workers (or two deployments) on one database
that reset the other's rate-limit counters mid-test. Runs when CACHE_URL names a Redis (CI sets it).
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from members.core.cache import PrefixedRedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("CACHE_URL", "").startswith("redis"),
                                reason="needs CACHE_URL=redis://...")


def _cache(prefix: str) -> PrefixedRedisCache:
    location = settings.CACHES["default"]["LOCATION"]
    return PrefixedRedisCache(location, {"KEY_PREFIX": f"{settings.CACHES['default']['KEY_PREFIX']}-{prefix}"})


def test_it_clears_only_its_own_prefix():
    mine, theirs, glob = _cache("mine"), _cache("theirs"), _cache("m*")
    try:
        for cache in (mine, theirs, glob):
            cache.set_many({"count": 7, "page": "html"})
        mine.incr("count")
        glob.clear()  # "…-m*" is a literal prefix, not a pattern that matches "…-mine"
        assert mine.get_many(["count", "page"]) == {"count": 8, "page": "html"}
        assert glob.get("count") is None
        mine.clear()
        assert mine.get_many(["count", "page"]) == {}
        assert theirs.get_many(["count", "page"]) == {"count": 7, "page": "html"}
    finally:
        theirs.clear()


def test_the_suite_uses_the_prefix_clearing_backend():
    assert settings.CACHES["default"]["BACKEND"] == "members.core.cache.PrefixedRedisCache"
    assert settings.CACHES["default"]["KEY_PREFIX"].startswith("test-")
