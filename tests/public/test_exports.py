"""CSV and JSON downloads of the register and the Atom feed of membership changes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.factories import make_signatory
from tests.public.seed import PUBLIC_NOTICE, Register

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse), "exports must stream"
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_csv_export_lists_the_current_signatories(client, register: Register):
    response = client.get(reverse("public:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))
    assert sorted(r["name"] for r in rows) == sorted(
        [register.current.name, register.rejoined.name, register.individual.name])
    current = next(r for r in rows if r["uscc"] == register.current.uscc)
    assert current["roles"] == "developer;operator" and current["joined_on"] == "2024-03-01"
    assert current["region_name"] == "北京市"


def test_the_json_export_follows_the_register_filters(client, register: Register):
    response = client.get(reverse("public:export_json"), {"status": "revoked"})
    data = json.loads(body(response))
    assert [o["name"] for o in data["organisations"]] == [register.revoked.name]
    assert data["organisations"][0]["status"] == "revoked"
    assert data["organisations"][0]["left_on"] == "2024-05-20"
    everyone = json.loads(body(client.get(reverse("public:export_json"), {"q": "有限公司", "status": "withdrawn"})))
    assert [o["name"] for o in everyone["organisations"]] == [register.withdrawn.name]


def test_the_exports_stream_a_large_register_in_order(client, db):
    for _ in range(30):
        make_signatory()
    data = json.loads(body(client.get(reverse("public:export_json"))))
    names = [o["name"] for o in data["organisations"]]
    assert len(names) == 30 and names == sorted(names)


def test_the_feed_lists_joins_withdrawals_and_revocations(client, register: Register):
    response = client.get(reverse("public:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert f"{register.revoked.name} 被取消成员资格" in titles
    assert f"{register.withdrawn.name} 退出公约" in titles
    assert titles.count(f"{register.rejoined.name} 加入公约") == 2
    revocation = next(e for e in root.iter(f"{ATOM}entry") if "被取消" in (e.findtext(f"{ATOM}title") or ""))
    assert PUBLIC_NOTICE in (revocation.findtext(f"{ATOM}summary") or "")
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert all(link.startswith(settings.SITE_URL + "/register/") for link in links)
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) == 9


def test_the_register_page_links_the_downloads_and_the_feed(client, register: Register):
    page = client.get(reverse("public:register"), {"region": "440000", "page": 2}).content.decode()
    assert reverse("public:export_csv") + "?region=440000" in page
    assert 'type="application/atom+xml"' in page
