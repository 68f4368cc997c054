"""Art 24 tests create dozens of accounts: a fast hasher keeps them quick (never used outside tests)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
