"""The home page names the newest published bulletin and the newest public notices (Art 21), and its
ETag moves when a bulletin is published (a publication is not a change of the register itself)."""

from __future__ import annotations

from datetime import date

from members.publications import services
from tests.helpers import act

from .conftest import PERIOD


def test_it_names_the_newest_bulletin_and_notice_and_a_publication_moves_its_etag(client, march, moving_clock):
    moving_clock.set(date(2025, 4, 2))
    client.get("/")  # the CSRF cookie the ETag covers
    before = client.get("/")
    html = before.content.decode()
    assert "尚未发布名单公告" in html and "暂无公开通报" not in html
    assert march.revoked.name in html and "2025-03-25" in html  # the revocation's notice, linked to its profile
    assert f'/register/{march.revoked.pk}/' in html

    pub = services.publication_publish_sync(act(), PERIOD)
    after = client.get("/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    html = after.content.decode()
    assert "尚未发布名单公告" not in html
    assert f"#bulletin-{pub.number}" in html and "2025-03-01" in html and "2025-03-31" in html
    assert client.get("/", HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
