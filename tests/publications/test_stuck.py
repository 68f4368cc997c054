"""Nothing stays stuck: the beat sweep finds, from the database, bulletins a lost worker, message or
broker left behind and renders them again or fails them with the reason; staff requeue any stuck one
in the admin and through the API; a live render is never taken away; one bulletin per period holds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings

from members.core import clock
from members.publications import services
from members.publications.models import Publication, PublicationState
from members.publications.tasks import publication_sweep_stuck_task
from tests.helpers import act, assert_error, login_staff, token_client

from .conftest import PERIOD_END, PERIOD_START

pytestmark = pytest.mark.django_db


def _stale(pub: Publication, *, attempts: int = 1) -> None:
    Publication.objects.filter(pk=pub.pk).update(
        state=PublicationState.RENDERING, claim_token="lost", attempts=attempts,
        claimed_at=clock.now() - services.STALE_CLAIM - timedelta(seconds=1))


def _request() -> Publication:
    return services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)[0]


def test_a_claim_left_by_a_lost_worker_is_rendered_again_by_the_sweep(march, django_capture_on_commit_callbacks):
    pub = _request()
    _stale(pub)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publication_sweep_stuck(act()) == {"requeued": 1, "failed": 0}
    pub.refresh_from_db()
    assert pub.state == PublicationState.PUBLISHED and pub.attempts == 2 and pub.files.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publication_sweep_stuck(act()) == {"requeued": 0, "failed": 0}
    assert Publication.objects.count() == 1


def test_a_live_claim_is_left_alone(march, django_capture_on_commit_callbacks):
    pub = _request()
    Publication.objects.filter(pk=pub.pk).update(state=PublicationState.RENDERING, claim_token="live",
                                                 claimed_at=clock.now(), attempts=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.publication_sweep_stuck(act()) == {"requeued": 0, "failed": 0}
    assert callbacks == []
    assert Publication.objects.get().state == PublicationState.RENDERING


def test_a_queued_bulletin_whose_message_was_lost_is_sent_again(march, django_capture_on_commit_callbacks):
    pub = _request()  # queue=False: as if the message never reached the broker
    Publication.objects.filter(pk=pub.pk).update(queued_at=clock.now() - services.QUEUE_GRACE - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publication_sweep_stuck(act()) == {"requeued": 1, "failed": 0}
    assert Publication.objects.get().state == PublicationState.PUBLISHED


def test_after_the_last_attempt_the_sweep_marks_it_failed_with_the_reason(march, django_capture_on_commit_callbacks):
    pub = _request()
    _stale(pub, attempts=django_settings.PUBLICATIONS_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.publication_sweep_stuck(act()) == {"requeued": 0, "failed": 1}
    assert callbacks == []
    pub.refresh_from_db()
    assert pub.state == PublicationState.FAILED and f"生成 {pub.attempts} 次均未完成" in pub.error
    assert not pub.files.exists()


def test_after_a_week_of_downtime_one_sweep_catches_up_once(march, monkeypatch, django_capture_on_commit_callbacks):
    # Beat was down on the 1st: no bulletin for March; one render had been lost too.
    monkeypatch.setattr(clock, "today", lambda: date(2025, 4, 8))
    with django_capture_on_commit_callbacks(execute=True):
        first = publication_sweep_stuck_task.delay().get()
        second = publication_sweep_stuck_task.delay().get()
    assert first["created"] == 1 and second["created"] == 0
    pub = Publication.objects.get()
    assert (pub.period_start, pub.period_end, pub.state) == (PERIOD_START, PERIOD_END, PublicationState.PUBLISHED)


def test_the_sweep_is_on_the_beat_schedule():
    entry = django_settings.CELERY_BEAT_SCHEDULE["publications-sweep-stuck"]
    assert entry["task"] == "members.publications.tasks.publication_sweep_stuck_task" and entry["schedule"] <= 600


@pytest.mark.parametrize("state", ["failed", "queued", "stale"])
def test_staff_requeue_a_stuck_bulletin_through_the_api(state, publisher, march, django_capture_on_commit_callbacks):
    pub = _request()
    if state == "stale":
        _stale(pub, attempts=3)
    else:
        Publication.objects.filter(pk=pub.pk).update(state=state, attempts=3, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(publisher).post(f"/api/v1/bulletins/{pub.number}/requeue/")
    assert response.status_code == 200, response.content
    pub.refresh_from_db()
    assert pub.state == PublicationState.PUBLISHED and pub.attempts == 1 and pub.files.count() == 3


def test_a_live_render_or_a_published_bulletin_cannot_be_requeued(publisher, march):
    pub = _request()
    Publication.objects.filter(pk=pub.pk).update(state=PublicationState.RENDERING, claim_token="live",
                                                 claimed_at=clock.now(), attempts=1)
    api = token_client(publisher)
    assert_error(api.post(f"/api/v1/bulletins/{pub.number}/requeue/"), 409, "render_in_progress")
    assert Publication.objects.get().claim_token == "live"
    Publication.objects.filter(pk=pub.pk).update(state=PublicationState.PUBLISHED, published_at=clock.now())
    assert_error(api.post(f"/api/v1/bulletins/{pub.number}/requeue/"), 409)
    assert_error(api.post("/api/v1/bulletins/999/requeue/"), 404)


def test_requeue_needs_the_publishers_permission(march, org_a):
    from tests.factories import make_representative

    pub = _request()
    Publication.objects.filter(pk=pub.pk).update(state=PublicationState.FAILED)
    rep = make_representative(org_a)
    assert_error(token_client(rep).post(f"/api/v1/bulletins/{pub.number}/requeue/"), 403)
    assert Publication.objects.get().state == PublicationState.FAILED


def test_staff_requeue_stuck_bulletins_from_the_admin(client, publisher, march, django_capture_on_commit_callbacks):
    pub = _request()
    _stale(pub, attempts=3)
    login_staff(client, publisher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/publications/publication/",
                               {"action": "requeue_stuck", "_selected_action": [pub.pk]}, follow=True)
    assert response.status_code == 200
    assert "已重新排队 1 期" in response.content.decode()
    pub.refresh_from_db()
    assert pub.state == PublicationState.PUBLISHED
