"""The public archive, downloads, the API, the admin's "publish now" and the editable beat schedule."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django_celery_beat.models import PeriodicTask

from members.core import clock
from members.publications import services
from members.publications.models import Publication, PublicationState
from members.publications.tasks import publication_create_due
from tests.helpers import act, login_staff

from .conftest import PERIOD, PERIOD_END, PERIOD_START


@pytest.fixture
def published(march):
    return services.publication_publish_sync(act(), PERIOD)


def test_the_archive_lists_published_bulletins_with_hashes_and_downloads(client, published, march):
    queued = Publication.objects.create(number=99, period_start=date(2025, 4, 1), period_end=date(2025, 4, 30))
    response = client.get("/bulletins/")
    assert response.status_code == 200
    page = response.content.decode()
    for f in published.files.all():
        assert f.sha256 in page
        download = client.get(f"/bulletins/{published.number}/{f.kind}/")
        assert download.status_code == 200
        body = b"".join(download.streaming_content)
        assert hashlib.sha256(body).hexdigest() == f.sha256 and download["X-Content-SHA256"] == f.sha256
        assert "attachment" in download["Content-Disposition"]
        head = client.head(f"/bulletins/{published.number}/{f.kind}/")  # link checkers and curl -I
        assert head.status_code == 200 and head["X-Content-SHA256"] == f.sha256
    assert client.head("/complaints/report/").status_code == 200
    assert "第 99 期" not in page and client.get("/bulletins/99/pdf/").status_code == 404
    assert client.get(f"/bulletins/{published.number}/exe/").status_code == 404
    assert queued.state == PublicationState.QUEUED
    for private in (march.joined.contact_phone, march.joined.contact_email):
        assert private not in page


def test_the_api_lists_bulletins_with_files_and_hashes(client, published, march):
    Publication.objects.create(number=99, period_start=date(2025, 4, 1), period_end=date(2025, 4, 30),
                               state=PublicationState.FAILED)
    data = client.get("/api/v1/bulletins/").json()
    assert [b["number"] for b in data] == [published.number]
    item = data[0]
    assert (item["period"], item["period_start"], item["period_end"]) == ("2025-03", "2025-03-01", "2025-03-31")
    assert item["page_count"] == published.page_count and item["corrects"] is None
    assert {f["kind"]: f["sha256"] for f in item["files"]} == dict(published.files.values_list("kind", "sha256"))
    pdf = next(f for f in item["files"] if f["kind"] == "pdf")
    assert pdf["url"].endswith(f"/bulletins/{published.number}/pdf/")
    assert client.get(f"/api/v1/bulletins/{published.number}/").json()["number"] == published.number
    assert client.get("/api/v1/bulletins/99/").status_code == 404
    body = client.get("/api/v1/bulletins/").content.decode()
    assert march.joined.contact_email not in body


def test_a_publisher_publishes_now_from_the_admin(client, publisher, march, django_capture_on_commit_callbacks):
    login_staff(client, publisher)
    assert client.get("/admin/publications/publication/publish-now/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/publications/publication/publish-now/", {"period": PERIOD, "months": 1})
    assert response.status_code == 302
    pub = Publication.objects.get()
    assert pub.state == PublicationState.PUBLISHED and pub.created_by == publisher
    # A second click on the same period makes no second bulletin.
    client.post("/admin/publications/publication/publish-now/", {"period": PERIOD, "months": 1})
    assert Publication.objects.count() == 1
    assert client.get(f"/admin/publications/publication/{pub.pk}/change/").status_code == 200


def test_the_admin_refuses_an_unfinished_period_next_to_the_field(client, publisher, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2025, 3, 10))
    login_staff(client, publisher)
    response = client.post("/admin/publications/publication/publish-now/", {"period": PERIOD, "months": 1})
    assert response.status_code == 200 and "只能公布已经结束的期间" in response.content.decode()
    assert not Publication.objects.exists()


def test_a_reviewer_cannot_publish(client, reviewer):
    login_staff(client, reviewer)
    assert client.get("/admin/publications/publication/publish-now/").status_code == 403


def test_the_schedule_is_an_editable_monthly_beat_task(db):
    task = PeriodicTask.objects.get(task="members.publications.tasks.publication_create_due")
    assert task.enabled and task.kwargs == '{"months": 1}'
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("0", "2", "1")


def test_the_beat_task_publishes_the_last_completed_period(march, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2025, 4, 1))
    pk = publication_create_due(months=1)
    pub = Publication.objects.get(pk=pk)
    assert (pub.period_start, pub.period_end, pub.state) == (PERIOD_START, PERIOD_END, PublicationState.PUBLISHED)
    assert publication_create_due(months=1) == pk and Publication.objects.count() == 1
