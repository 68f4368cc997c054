"""Fixtures of the portal tests."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory, make_application


@pytest.fixture
def client_a(client, rep_a):
    client.force_login(rep_a)
    return client


@pytest.fixture
def app_b(org_b, rep_b):
    return make_application(org_b, rep_b)


@pytest.fixture
def newcomer(db):
    """An account with a verified e-mail address and no organisation yet."""
    from allauth.account.models import EmailAddress

    user = UserFactory(username="new@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Accounts are made by the dozen here; a slow hash would only slow the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
