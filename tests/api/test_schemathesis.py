"""The API answers what its schema says: schemathesis, positive and negative data, against
/api/schema/ in process (WSGI), as an anonymous client, a representative and a staff member with tokens.

Bounded (REGISTRY_SCHEMATHESIS_EXAMPLES examples per operation and actor, 3 by default). Tokens are the
personal API tokens (members.audit.tokens): write-scoped, the staff one issued from a verified session.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from convention.wsgi import application
from tests.factories import OrganisationFactory, make_signatory
from tests.helpers import api_token, staff_device

# Every check except "schema-valid data must be accepted" (positive_data_acceptance): the write endpoints'
# input schemas do not yet state every rule their services enforce (a blank title, a USCC's check
# character, an opaque cursor), so valid-looking data is rightly refused with 400. Excluded until those
# serializers carry their constraints; every other check (no 5xx, documented statuses and bodies,
# negative data refused, 405 for undeclared methods, ...) must pass.
EXCLUDED = [positive_data_acceptance]
EXAMPLES = int(os.environ.get("REGISTRY_SCHEMATHESIS_EXAMPLES", "3"))


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


def _headers(user, *, staff: bool = False) -> dict[str, str]:
    make_signatory(OrganisationFactory())  # something to list, page through and look up
    if user is None:
        return {}
    if staff:
        staff_device(user)  # a write token issued from a session verified with the second factor
    return {"Authorization": f"Bearer {api_token(user, scope='write', verified=staff)[1]}"}


@pytest.fixture
def anonymous_headers(db):
    return _headers(None)


@pytest.fixture
def representative_headers(rep_a):
    return _headers(rep_a)


@pytest.fixture
def staff_headers(reviewer):
    return _headers(reviewer, staff=True)


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.filter_too_much, HealthCheck.data_too_large])


@schema.parametrize()
@SETTINGS
def test_anonymous_clients_get_what_the_schema_says(case, anonymous_headers):
    case.call_and_validate(headers=anonymous_headers, excluded_checks=EXCLUDED)


@schema.parametrize()
@SETTINGS
def test_representatives_get_what_the_schema_says(case, representative_headers):
    case.call_and_validate(headers=representative_headers, excluded_checks=EXCLUDED)


@schema.parametrize()
@SETTINGS
def test_staff_get_what_the_schema_says(case, staff_headers):
    case.call_and_validate(headers=staff_headers, excluded_checks=EXCLUDED)
