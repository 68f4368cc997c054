import pytest

from tests.public.seed import Register, seed_register


@pytest.fixture
def register(db) -> Register:
    return seed_register()
