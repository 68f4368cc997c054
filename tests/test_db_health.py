"""The PostgreSQL health check (convention/postgresql/base.py): no round trip for a live idle connection,
and a connection the server has ended is found and replaced before the request's first query."""

from __future__ import annotations

import select
import time

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's health check"),
]


def _asked(monkeypatch) -> list[int]:
    asked: list[int] = []
    original = DjangoWrapper.is_usable

    def counted(self: DjangoWrapper) -> bool:
        asked.append(1)
        return bool(original(self))

    monkeypatch.setattr(DjangoWrapper, "is_usable", counted)
    return asked


def _readable(timeout: float = 10) -> bool:
    return bool(select.select([connection.connection.pgconn.socket], [], [], timeout)[0])


def test_an_idle_live_connection_is_usable_without_a_round_trip(monkeypatch):
    connection.ensure_connection()
    asked = _asked(monkeypatch)
    assert connection.settings_dict["ENGINE"] == "convention.postgresql"
    for _ in range(3):
        assert connection.is_usable()
    assert asked == []  # no SELECT 1


def test_a_notification_waiting_on_the_socket_is_read_by_asking_the_server(monkeypatch):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("LISTEN registry_health_test")
    with psycopg.connect(_dsn(), autocommit=True) as other:
        other.execute("NOTIFY registry_health_test")
    assert _readable()
    asked = _asked(monkeypatch)
    assert connection.is_usable() and asked == [1]  # readable, so it asked: alive


def test_a_connection_the_server_ended_is_replaced_before_the_next_request_queries(client, monkeypatch):
    from tests.factories import make_signatory

    org = make_signatory()
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with psycopg.connect(_dsn(), autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    deadline = time.monotonic() + 10
    while not _readable(0.1) and time.monotonic() < deadline:
        pass
    assert not connection.is_usable()
    # What a request's start does in production (the test client disconnects it): the connection's health
    # is checked again before the request's first query, so the dead one is closed and a new one opened.
    close_old_connections()
    response = client.get(f"/register/{org.pk}/")
    assert response.status_code == 200 and org.name in response.content.decode()
    assert connection.connection.info.backend_pid != pid


def _dsn() -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(host=s["HOST"] or "", port=s["PORT"] or "", user=s["USER"] or "",
                                          password=s["PASSWORD"] or "", dbname=connection.settings_dict["NAME"])
