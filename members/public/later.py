"""Page-cache writes made after the response has gone: neither this visitor nor the next waits for them.

A cold register page builds its content, then stores it (and a search's count) in the shared cache.
Inside a request those writes are collected here. When the response is closed (Django's
``request_finished``, which the WSGI server sends after the response), they are handed to one writer
thread per process, which makes them in one round trip (Redis: ``set_each``; elsewhere ``set_many``
per time-out). Written in the request's own thread, they held up the worker's next request: with a
sync worker the next visitor waited for them (on the embedded file cache, about a millisecond for a
search's three files).

Reads see what is about to be written: those of the same request, and, until the writer has made them,
every request of this process (``pending``). Another process may miss a write still under way and build
the page again, as it would have before the write. Outside a request (a command, a task) a write is
made at once. A failed write is logged: the page was served, and the next request builds it again.
``drain()`` waits until the writer has made everything handed to it (tests, and a process about to exit).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache

log = logging.getLogger(__name__)
_local = threading.local()
_MISSING = object()

# Handed to the writer and not yet written: key -> (value, timeout, batch number), for ``pending``.
_in_flight: dict[str, tuple[Any, int, int]] = {}
_lock = threading.Lock()
_queue: queue.SimpleQueue[tuple[int, dict[str, tuple[Any, int]]] | None] = queue.SimpleQueue()
_writer: dict[str, Any] = {"thread": None, "pid": None, "batches": 0}
_MAX_IN_FLIGHT = 5000


def begin(**kwargs: Any) -> None:
    """``request_started``: writes wait for the end of this request."""
    _local.writes = {}


def set_later(key: str, value: Any, timeout: int) -> None:
    writes: dict[str, tuple[Any, int]] | None = getattr(_local, "writes", None)
    if writes is None:
        cache.set(key, value, timeout)
    else:
        writes[key] = (value, timeout)


def pending(key: str) -> Any:
    """What this request, or the writer, is about to write under ``key``, or ``MISSING``."""
    writes = getattr(_local, "writes", None)
    if writes and key in writes:
        return writes[key][0]
    with _lock:
        found = _in_flight.get(key)
    return _MISSING if found is None else found[0]


def in_flight(keys: Any) -> dict[str, Any]:
    """Of ``keys``, those the writer has not yet written, with their values. Taken before reading the
    cache (``get_many``), it closes the gap of a write that ends in between: what is not in the one is
    in the other (an entry leaves the in-flight ones only once it is written)."""
    with _lock:
        return {key: _in_flight[key][0] for key in keys if key in _in_flight}


def is_missing(value: Any) -> bool:
    return value is _MISSING


def flush(**kwargs: Any) -> None:
    """``request_finished``: hand this request's writes to the writer thread."""
    writes: dict[str, tuple[Any, int]] | None = getattr(_local, "writes", None)
    _local.writes = None
    if not writes or isinstance(caches["default"], DummyCache):
        return  # a cache that keeps nothing: nothing may be read back from what is in flight either
    with _lock:
        if len(_in_flight) > _MAX_IN_FLIGHT:  # the cache is not keeping up (or is gone): serve, do not queue
            log.warning("page cache writer behind by %s entries; writes dropped", len(_in_flight))
            return
        _start_writer()
        _writer["batches"] += 1
        batch = _writer["batches"]
        for key, (value, timeout) in writes.items():
            _in_flight[key] = (value, timeout, batch)
    _queue.put((batch, writes))


def drain(timeout: float = 30) -> bool:
    """Wait until every write handed to the writer so far is made; False if it took over ``timeout`` s."""
    with _lock:
        thread = _writer["thread"] if _writer["pid"] == os.getpid() else None
    if thread is None or not thread.is_alive():
        return True
    done = threading.Event()
    _queue.put((0, {"": (done, 0)}))  # a marker: the writer sets it when it gets there
    return done.wait(timeout)


def _start_writer() -> None:
    """The writer of this process (started again in a forked child, which has no threads)."""
    thread = _writer["thread"]
    if thread is not None and _writer["pid"] == os.getpid() and thread.is_alive():
        return
    if _writer["pid"] != os.getpid():
        _in_flight.clear()
        while not _queue.empty():  # the parent's batches, not ours to write
            _queue.get_nowait()
    thread = threading.Thread(target=_write_forever, name="page-cache-writer", daemon=True)
    _writer.update(thread=thread, pid=os.getpid())
    thread.start()


def _write_forever() -> None:
    while True:
        item = _queue.get()
        if item is None:
            return
        batch, writes = item
        if batch == 0:
            writes[""][0].set()
            continue
        _write(writes)
        with _lock:
            for key in writes:
                if key in _in_flight and _in_flight[key][2] == batch:
                    del _in_flight[key]


def _write(writes: dict[str, tuple[Any, int]]) -> None:
    try:
        set_each = getattr(cache, "set_each", None)
        if set_each is not None:
            set_each(writes)
            return
        by_timeout: dict[int, dict[str, Any]] = {}
        for key, (value, timeout) in writes.items():
            by_timeout.setdefault(timeout, {})[key] = value
        for timeout, values in by_timeout.items():
            cache.set_many(values, timeout)
    except Exception:  # the response is out; a lost write costs the next request a rebuild
        log.warning("page cache writes after the response failed", exc_info=True)


def _after_fork_in_child() -> None:
    """A forked child has none of its parent's threads: a lock or queue the parent's writer held at the
    fork would stay held in the child, so the child starts with its own (and its own writer when needed)."""
    global _lock, _queue
    _lock = threading.Lock()
    _queue = queue.SimpleQueue()
    _in_flight.clear()
    _writer.update(thread=None, pid=None)


os.register_at_fork(after_in_child=_after_fork_in_child)


def connect() -> None:
    from django.core.signals import request_finished, request_started

    request_started.connect(begin, dispatch_uid="public-later-begin")
    request_finished.connect(flush, dispatch_uid="public-later-flush")
    atexit.register(drain, 5)
