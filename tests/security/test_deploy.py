"""Production settings pass ``check --deploy``; /health/ reports database, broker and storage."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.test_faults import DEAD_BROKER, broker

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.core.management import call_command
django.setup()
call_command("check", deploy=True, fail_level="WARNING")
from django.conf import settings as s
print("SETTINGS=" + json.dumps({
    "debug": s.DEBUG, "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "hsts": s.SECURE_HSTS_SECONDS, "ssl_redirect": s.SECURE_SSL_REDIRECT, "backend0": s.AUTHENTICATION_BACKENDS[0],
    "csp": s.CONTENT_SECURITY_POLICY, "log_formatter": s.LOGGING["handlers"]["console"]["formatter"],
    "middleware": s.MIDDLEWARE,
}, default=str))  # the CSP's nonce marker is an object
"""


def test_production_settings_pass_check_deploy(tmp_path):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_DEBUG="0", REGISTRY_TESTING="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
               DJANGO_ALLOWED_HOSTS="registry.example.org", REGISTRY_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="convention.settings",
               # Production has a shared cache (README); without one ALTCHA's replay check rightly warns.
               CACHE_URL="redis://127.0.0.1:6379/10")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
    assert "System check identified no issues" in result.stdout
    line = next(x for x in result.stdout.splitlines() if x.startswith("SETTINGS="))
    s = json.loads(line.removeprefix("SETTINGS="))
    assert s["debug"] is False and s["session_secure"] and s["csrf_secure"] and s["ssl_redirect"]
    assert s["hsts"] >= 31536000
    assert s["backend0"] == "members.audit.auth.LockoutBackend"
    assert "'unsafe-inline'" not in json.dumps(s["csp"])
    assert s["log_formatter"] == "json"
    assert s["middleware"][-1] == "axes.middleware.AxesMiddleware"
    assert "django_otp.middleware.OTPMiddleware" in s["middleware"]


@pytest.mark.django_db
def test_health_reports_database_broker_and_storage(client):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    names = " ".join(data)
    for check in ("Database", "Storage", "Broker"):
        assert check in names, data
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_fails_when_the_broker_is_down(client):
    with broker(DEAD_BROKER):
        response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    data = json.loads(response.content)
    failing = [name for name, status in data.items() if status != "OK"]
    assert failing and all("Broker" in name for name in failing), data
