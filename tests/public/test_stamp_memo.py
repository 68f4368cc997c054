"""Each process keeps the register's stamp for a second (REGISTRY_STAMP_MEMO_SECONDS), so a 304 or a
cached page asks the database nothing; a change made through a service in this process shows at once,
any other change (another process, an ``update()``) within that second. Run without a wrapping
transaction, as a server runs: inside a transaction the stamp is never kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Organisation
from members.public import selectors
from tests.factories import OrganisationFactory, make_signatory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: now[0])
    selectors._STAMP_MEMO.clear()
    yield now
    selectors._STAMP_MEMO.clear()


def _etag(client) -> str:
    if "csrftoken" not in client.cookies:  # the ETag covers the CSRF cookie the first answer sets
        client.get("/register/")
    return client.get("/register/")["ETag"]


def test_a_revalidation_within_the_second_asks_the_database_nothing(client, clock):
    make_signatory()
    etag = _etag(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/register/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(queries) == 0
    clock[0] += 1.5
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/register/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(queries) == 1  # the stamp, read again after the second


def test_a_change_through_a_service_shows_at_once(client, clock):
    make_signatory()
    before = _etag(client)
    newcomer = make_signatory(OrganisationFactory(name="新近签署科技有限公司"))
    response = client.get("/register/")
    assert response["ETag"] != before and newcomer.name in response.content.decode()


def test_a_change_without_signals_shows_within_the_second(client, clock, settings):
    org = make_signatory()
    before = _etag(client)
    Organisation.objects.filter(pk=org.pk).update(name="改名而未发信号有限公司", updated_at=org.updated_at.replace(
        year=org.updated_at.year + 1))
    assert _etag(client) == before  # another process's change, not seen yet
    clock[0] += settings.REGISTRY_STAMP_MEMO_SECONDS + 0.01
    response = client.get("/register/")
    assert response["ETag"] != before and "改名而未发信号有限公司" in response.content.decode()
