"""The API answers what its schema says: schemathesis, positive and negative data, against
/api/schema/ in process (WSGI), as an anonymous client, a representative and a staff member with tokens.

Bounded (REGISTRY_SCHEMATHESIS_EXAMPLES examples per operation and actor, 3 by default). Tokens are the
personal API tokens (members.audit.tokens): write-scoped, the staff one issued from a verified session.
"""

from __future__ import annotations

import base64
import os
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from convention.wsgi import application
from tests.factories import OrganisationFactory, make_signatory, valid_uscc
from tests.helpers import api_token, staff_device

# Every check, positive data acceptance included (schema-valid input is never refused with 400), except
# that check on the operations whose rule is between two query parameters, which OpenAPI cannot state
# (parameters have no dependencies, OAI/OpenAPI-Specification#256): exactly one of certificate and
# sha256; index or leaf_hash; first <= second. Each of those refusals is a 400 tested by name in
# tests/transparency.
CROSS_PARAMETER_RULES = {"/api/v1/verify/", "/api/v1/log/proof/inclusion/", "/api/v1/log/proof/consistency/"}

# Formats the schema names for what JSON Schema cannot compute: a USCC's check characters, and a cursor
# that only a page's next/previous link gives (base64 of DRF's "o=<offset>" query string).
schemathesis.openapi.format("uscc", st.integers(0, 10**8 - 1).map(valid_uscc))
schemathesis.openapi.format("cursor", st.integers(0, 50).map(
    lambda offset: base64.b64encode(urlencode({"o": offset}).encode()).decode()))


def _excluded(case) -> list:
    return [positive_data_acceptance] if case.operation.path in CROSS_PARAMETER_RULES else []


EXAMPLES = int(os.environ.get("REGISTRY_SCHEMATHESIS_EXAMPLES", "3"))


# Generating the schema needs no database: it is loaded once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# NUL is refused in every input with 400 (members.core.middleware: PostgreSQL cannot store it; every
# operation documents that 400, tests/security test it), so valid data holds none.
schema.config.generation.update(allow_x00=False)


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
    case.call_and_validate(headers=anonymous_headers, excluded_checks=_excluded(case))


@schema.parametrize()
@SETTINGS
def test_representatives_get_what_the_schema_says(case, representative_headers):
    case.call_and_validate(headers=representative_headers, excluded_checks=_excluded(case))


@schema.parametrize()
@SETTINGS
def test_staff_get_what_the_schema_says(case, staff_headers):
    case.call_and_validate(headers=staff_headers, excluded_checks=_excluded(case))
