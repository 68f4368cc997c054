"""The API answers what its schema says: schemathesis, all checks, positive and negative data, against
/api/schema/ in process (WSGI), as an anonymous client, a representative and a staff member with tokens.

Bounded (REGISTRY_SCHEMATHESIS_EXAMPLES examples per operation and actor, 6 by default) to stay within
about two minutes on the CI machine. Staff tokens are the plain DRF tokens for now; when the new token
model lands (issue 15) this fixture creates one of those instead.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from convention.wsgi import application
from tests.factories import OrganisationFactory, make_signatory

EXAMPLES = int(os.environ.get("REGISTRY_SCHEMATHESIS_EXAMPLES", "6"))


# Generating the schema needs no database: it is loaded once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db):
    """As Django's test client does: a request must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _headers(user) -> dict[str, str]:
    make_signatory(OrganisationFactory())  # something to list, page through and look up
    if user is None:
        return {}
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.fixture
def anonymous_headers(db):
    return _headers(None)


@pytest.fixture
def representative_headers(rep_a):
    return _headers(rep_a)


@pytest.fixture
def staff_headers(reviewer):
    return _headers(reviewer)


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.filter_too_much, HealthCheck.data_too_large])


@schema.parametrize()
@SETTINGS
def test_anonymous_clients_get_what_the_schema_says(case, anonymous_headers):
    case.call_and_validate(headers=anonymous_headers)


@schema.parametrize()
@SETTINGS
def test_representatives_get_what_the_schema_says(case, representative_headers):
    case.call_and_validate(headers=representative_headers)


@schema.parametrize()
@SETTINGS
def test_staff_get_what_the_schema_says(case, staff_headers):
    case.call_and_validate(headers=staff_headers)
