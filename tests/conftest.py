"""Shared fixtures: a few named personas and test-only settings."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from members.groups import COMPLAINT_OFFICER, PUBLISHER, REVIEWER
from tests.factories import OrganisationFactory, UserFactory, make_representative


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Every test writes documents to its own private folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": tmp_path / "private", "base_url": None}},
    }
    from django.core.files.storage import storages

    storages._storages = {}
    # Published bulletins too: tests that seed the demo publish one, and xdist workers must not share it.
    settings.PUBLICATIONS_ROOT = tmp_path / "publications"
    yield tmp_path / "private"
    storages._storages = {}


@pytest.fixture(autouse=True)
def _page_cache_writes_made(settings):
    """A test's page-cache writes (made after each response by a writer thread, members.public.later)
    are all made before its settings, and its cache, are put back: none lands in the next test's cache."""
    from members.public import later

    yield
    assert later.drain(), "the page-cache writer did not finish"


@pytest.fixture(scope="session", autouse=True)
def _jinja_renders_reach_the_test_client():
    """Jinja2 templates (members.core.jinja) tell the test client their context, as Django's own
    templates do under the test runner, so ``response.context`` holds what a fragment was given."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    original = Template.render

    def render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return original(self, context, request)

    Template.render = render
    yield
    Template.render = original


@pytest.fixture(scope="session", autouse=True)
def _empty_cache_at_start():
    """Start from an empty cache, as a fresh in-memory one is: on Redis (CACHE_URL) keys outlive the
    run; ``clear()`` deletes only this xdist worker's prefix (members.core.cache.PrefixedRedisCache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def _signing_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _demo_signing_key(settings, _signing_dir):
    """One demonstration signing key per test process, never the one under var/."""
    settings.SIGNING_DIR = _signing_dir


@pytest.fixture
def superuser(db):
    return UserFactory(username="root@example.org", is_staff=True, is_superuser=True)


def _staff(group_name: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def reviewer(db):
    """审核员 Wang: reviews applications and withdrawals."""
    return _staff(REVIEWER, "reviewer@example.org")


@pytest.fixture
def complaint_officer(db):
    return _staff(COMPLAINT_OFFICER, "officer@example.org")


@pytest.fixture
def publisher(db):
    return _staff(PUBLISHER, "publisher@example.org")


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="甲方数字科技有限公司", name_en="Jiafang Digital Technology Co., Ltd.")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="乙方软件服务有限公司", name_en="Yifang Software Services Co., Ltd.")


@pytest.fixture
def rep_a(org_a):
    return make_representative(org_a, "rep-a@example.org")


@pytest.fixture
def rep_b(org_b):
    return make_representative(org_b, "rep-b@example.org")


@pytest.fixture
def moving_clock():
    """The domain clock, set and advanced by the test (``members.core.clock``); restored afterwards."""
    from datetime import date

    from tests.clockwork import MovingClock, local

    c = MovingClock(local(date(2026, 12, 1)))
    yield c
    c.restore()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread: every test starts in Chinese."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _celery_app_stays_the_project_app():
    """Each test starts with the project's Celery app current and no cached broker connection.

    A test that builds its own ``Celery(...)`` app made it Celery's current app, and one that points the
    project app at a private broker leaves a pool bound to it; every later test that queued a task
    then published to a broker that was gone (the suite failed in a random order).
    """
    from celery import current_app

    from convention.celery import app

    if current_app._get_current_object() is not app:
        app.set_current()
    yield
    # Only forget them: kombu keeps pools in a global registry by connection, so closing one here would
    # hand the next test the same pool, closed.
    app._pool = None
    app.amqp._producer_pool = None
    assert current_app._get_current_object() is app, "a test left another Celery app current"
