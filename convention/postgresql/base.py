"""Django's PostgreSQL backend whose per-request health check asks the socket before the server.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before each request's first query by
sending ``SELECT 1``: one round trip per request (about 0.12 ms here, a few per cent of a cold page).
A connection the server has ended (a restart, ``pg_terminate_backend``, an idle timeout) always leaves
something to read on its socket: the server's FATAL message, then the end of the stream. So an idle
connection whose socket has nothing to read is alive as far as the client can tell without asking,
and one with something to read is asked with Django's ``SELECT 1`` (which also reads a harmless
notice or notification that arrived meanwhile). A peer gone silently (no end of stream) is found by
the first query, as with ``SELECT 1``, which would wait just the same.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None:
            return False
        try:
            if connection.closed or connection.broken or connection.pgconn.status != pq.ConnStatus.OK:
                return False
            if connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
                return bool(super().is_usable())  # mid-transaction (a test's atomic block): ask, as Django does
            readable, _, _ = select.select([connection.pgconn.socket], [], [], 0)
        except (OSError, ValueError, psycopg.Error):
            return False
        return bool(super().is_usable()) if readable else True
