"""The OpenAPI 3 schema validates, and a schema-driven fuzz run finds no server error on public endpoints."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error

from tests.public.seed import Register

pytestmark = pytest.mark.django_db
PUBLIC_PREFIXES = ("/api/v1/organizations", "/api/v1/convention")


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    validate(spec)
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ("/api/v1/organizations/", "/api/v1/organizations/{uscc}/", "/api/v1/organizations/{uscc}/status/",
                 "/api/v1/convention/versions/", "/api/v1/applications/{id}/approve/",
                 "/api/v1/withdrawals/{id}/acknowledge/"):
        assert path in paths, path
    # How to obtain and use a token: the security scheme, the token endpoints and the description.
    assert spec["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert "/api/v1/tokens/" in paths and "/api/v1/tokens/{id}/revoke/" in paths
    assert {"apiToken": []} in paths["/api/v1/applications/{id}/approve/"]["post"]["security"]
    assert "Authorization: Bearer" in spec["info"]["description"]
    params = {p["name"] for p in paths["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"q", "role", "region", "status", "joined_from", "joined_to", "sort", "cursor", "page_size"} <= params


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's connection at each request end (as Django's
    test client avoids): keep it, or PostgreSQL loses the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_fuzzing_the_public_endpoints_finds_no_server_error(register: Register, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operations = [
        result.ok() for result in schema.get_all_operations()
        if result.ok().method.upper() == "GET" and result.ok().path.startswith(PUBLIC_PREFIXES)
    ]
    assert len(operations) >= 6
    statuses: set[int] = set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            response = case.call()
            statuses.add(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])

        run()
    assert 200 in statuses and 404 in statuses  # the run reached real answers, not only refusals
