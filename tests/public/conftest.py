import pytest

from tests.public.seed import Register, seed_register


@pytest.fixture(autouse=True)
def _no_register_cache(settings):
    """Each request builds its page (tests look at the context); tests/public/test_cache.py turns it on."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def register(db) -> Register:
    return seed_register()
