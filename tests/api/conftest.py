import pytest

from tests.convention.amendment_helpers import ensure_version_1
from tests.public.seed import Register, seed_register


@pytest.fixture(autouse=True)
def _version_1(db):
    """A transactional test elsewhere in this worker may have flushed the migration-loaded text."""
    ensure_version_1()


@pytest.fixture(autouse=True)
def _no_register_cache(settings):
    """Each request builds its page (tests look at the context); tests/public/test_cache.py turns it on."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def register(db) -> Register:
    return seed_register()
