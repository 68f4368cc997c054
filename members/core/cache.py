"""The embedded default's shared cache: Django's file-based cache with atomic ``add`` and ``incr``.

Every web worker, Celery worker and command on the machine sees the same folder, so rate limits, the page
cache and lockout support hold across processes. Django's file cache implements ``add`` as "has key,
then set" and ``incr`` as "get, then set": two processes counting at once would both read 7 and both
write 8. Here both run under one exclusive ``flock`` on the folder's lock file, which makes them exact
between processes (production uses Redis, whose INCR and SET NX are atomic anyway).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import tempfile
import time
import zlib
from collections.abc import Iterator
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.files.move import file_move_safe


class LockingFileBasedCache(FileBasedCache):
    """Django's file cache with atomic ``add``/``incr`` and a culling check that does not list the folder
    on every ``set``.

    Django's ``_cull`` globs the whole folder on each ``set`` to count the entries: with thousands of
    cached pages that listing cost several milliseconds per cold page (the benchmark's largest single
    cost). Here a process counts entries only on its first ``set`` and then once every
    ``max_entries // 50`` sets, so the folder may exceed ``MAX_ENTRIES`` by at most that many entries
    per process before it is culled as Django would.
    """

    _dir: str  # set by FileBasedCache.__init__ (absent from the stubs)
    _key_to_file: Any
    _max_entries: int
    _sets_since_cull = 0

    def _cull(self) -> None:
        every = max(1, self._max_entries // 50)
        if self._sets_since_cull % every == 0:
            super()._cull()  # type: ignore[misc]  # (absent from the stubs)
        self._sets_since_cull += 1

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        os.makedirs(self._dir, exist_ok=True)
        fd = os.open(os.path.join(self._dir, ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` keeping the entry's expiry (Django's "get, then set" would restart the window)."""
        with self._locked():
            fname = self._key_to_file(key, version)
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301 (our own cache files)
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key '{key}' not found")
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
            except FileNotFoundError as exc:
                raise ValueError(f"Key '{key}' not found") from exc
            new_value = value + delta
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(new_value, self.pickle_protocol)))
            file_move_safe(tmp_path, fname, allow_overwrite=True)
            return int(new_value)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client that keeps one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache operation, and each one fills a table of some
    250 response callbacks (a case-insensitive dict, so 250 ``upper()`` calls): five cache operations of
    a cold register page cost more than the page's database queries. A ``redis.Redis`` only holds its
    pool (which hands out connections, thread-safely), so one per pool serves every operation.
    """

    _get_connection_pool: Any  # Django's (absent from the stubs)
    _client: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PrefixedRedisCache(RedisCache):
    """Django's Redis cache whose ``clear()`` deletes only the keys under this cache's ``KEY_PREFIX``.

    Django's ``clear()`` is FLUSHDB: the whole Redis database, whatever the prefix. Two deployments,
    or two parallel test processes, sharing one database under different prefixes would wipe each
    other's rate-limit counters and lockouts. Without a prefix it is FLUSHDB, as in Django.
    Operations reuse one client per connection pool (``ReusingRedisCacheClient``).
    """

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def set_each(self, items: dict[str, tuple[Any, Any]]) -> None:
        """``set(key, value, timeout)`` for each ``key: (value, timeout)``, in one round trip.

        Django's ``set_many`` takes one time-out, and each call is a transaction (MULTI, MSET, an EXPIRE
        per key, EXEC): a cold page's three writes (page, content, count) with their own time-outs cost
        three of them. Here each key is one ``SET … EX`` (a time-out of 0 or less deletes, as ``set``
        does), all in one pipeline without a transaction: each write is atomic on its own, which is all
        a cache entry needs.
        """
        client = self._cache.get_client(None, write=True)
        pipeline = client.pipeline(transaction=False)
        for key, (value, timeout) in items.items():
            full_key = self.make_and_validate_key(key)
            seconds = self.get_backend_timeout(timeout)  # Redis's: None (keep) or whole seconds
            if seconds is not None and seconds <= 0:
                pipeline.delete(full_key)
            else:
                pipeline.set(full_key, self._cache._serializer.dumps(value),  # type: ignore[attr-defined]
                             ex=None if seconds is None else int(seconds))
        pipeline.execute()

    def clear(self) -> None:
        if not self.key_prefix:
            super().clear()
            return
        client = self._cache.get_client(None, write=True)
        pattern = _glob_escape(self.key_prefix) + ":*"  # make_key() is "<prefix>:<version>:<key>"
        batch: list[Any] = []
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
