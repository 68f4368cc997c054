"""Content-Security-Policy without unsafe-inline on the site, the admin and the API docs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, UserFactory, make_application
from tests.helpers import login_staff

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def assert_strict_csp(response) -> None:
    policy = _policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["script-src"] == "script-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/register/", "/accounts/login/", "/security/login/"])
def test_public_pages_have_a_strict_csp_and_no_inline_script(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_strict_csp(response)
    assert not INLINE_SCRIPT.search(response.content.decode())
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_admin_changelist_and_change_form_render_under_the_csp(client):
    root: Any = UserFactory(username="root@example.org", is_staff=True, is_superuser=True)
    login_staff(client, root)
    app = make_application(OrganisationFactory(), None)
    for url in (reverse("admin:members_organisation_changelist"),
                reverse("admin:members_organisation_change", args=[app.organisation_id]),
                reverse("admin:members_joinapplication_changelist"),
                reverse("admin:members_joinapplication_change", args=[app.pk]),
                reverse("admin:index"), reverse("admin:auth_user_changelist"),
                reverse("admin:auth_user_change", args=[root.pk]), reverse("admin:audit_auditentry_changelist"),
                reverse("admin:otp_totp_totpdevice_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_csp(response)
        assert not INLINE_SCRIPT.search(response.content.decode()), url


@pytest.mark.django_db
def test_swagger_ui_loads_its_start_script_as_a_file(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_strict_csp(response)
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html) and "<style" not in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any("swagger-ui-bundle" in s for s in scripts)
    init = [s for s in scripts if "script" in s.split("?", 1)[-1]]
    assert init, scripts
    script = client.get(init[0].replace("&amp;", "&"))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
    for src in scripts:
        assert src.startswith("/"), src  # same origin: allowed by script-src 'self'
