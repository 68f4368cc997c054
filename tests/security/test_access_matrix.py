"""The access matrix: every URL of the project × each method it answers × each kind of actor.

``ROWS`` is the one table. Its keys are the routes the resolver knows, so a URL added without a row
fails ``test_every_url_has_a_row``. Each cell is the expected answer:

- ``pass``: the door opened (2xx, a redirect that is not to a login page, or a 400/409 the service or
  its input gave once authorised);
- ``ok`` 2xx, ``dash`` redirect to the portal dashboard, ``redirect`` another redirect, ``login`` /
  ``admin_login`` redirect to a login page, ``400``/``401``/``403``/``404``, ``any`` (not ours: allauth,
  CAPTCHA, static; only "no server error" is checked).

Every cell that is not ``pass`` on a writing method is a refused write: the test also checks that no
row of the register, complaints, convention or publications changed and that the register's projection
still agrees with its events.

Only the base kinds are written in the table; the others follow from them, which is the policy itself:
a staff account signed in with the password alone (``*_p``) answers as a plain user; a write token
answers as its owner (rep A); a read-only token as its owner for reads and 403 for the owner's writes; a
write token of a staff member created without the second factor as a plain user; an expired or revoked
token 401. Tokens are tried on the API only (the HTML pages do not read them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from members.selectors import registry_inconsistencies
from tests.helpers import login_staff

from .access_rows import ADMIN_ROWS, KINDS, ROWS, STAFF, WRITES, Row
from .access_world import World, build_world, token_clients

pytestmark = pytest.mark.django_db


# --- Reading the resolver --------------------------------------------------------------------------

def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def all_routes() -> list[str]:
    return list(dict.fromkeys(_routes(get_resolver().url_patterns)))


def test_every_url_has_a_row() -> None:
    routes = all_routes()
    missing = [r for r in routes if r not in ROWS and r not in ADMIN_ROWS and not r.startswith("admin/")]
    assert missing == [], f"URLs without a row in the access matrix: {missing}"
    assert [r for r in ADMIN_ROWS if r not in routes] == []


# --- Answers and what must not change --------------------------------------------------------------

def classify(response: Any) -> str:
    code = response.status_code
    if code >= 500:
        return "5xx"
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if "/admin/login/" in location:
            return "admin_login"
        if "/accounts/login/" in location:
            return "login"
        return "dash" if location.rstrip("/").endswith("/portal") else "redirect"
    return "ok" if code < 300 else str(code)


def matches(expected: str, got: str) -> bool:
    if expected == "any":
        return got != "5xx"
    if expected == "pass":
        return got in ("ok", "redirect", "dash", "400", "409")
    return got == expected


_FINGERPRINT_SQL: list[str] = []


def fingerprint() -> tuple[Any, ...]:
    """Row counts (and a digest of the state columns) of every table of the domain, in one query."""
    if not _FINGERPRINT_SQL:
        parts = []
        for label in ("members", "publications", "convention", "complaints"):
            for model in apps.get_app_config(label).get_models():
                table = connection.ops.quote_name(model._meta.db_table)
                parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - table names from the models
                if any(f.name == "state" for f in model._meta.fields):
                    parts.append(f"(SELECT COALESCE(SUM(LENGTH(state)), 0) FROM {table})")  # noqa: S608
        _FINGERPRINT_SQL.append("SELECT " + ", ".join(parts))
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL[0])
        return tuple(cursor.fetchone())


def _request(client: APIClient, method: str, path: str, body: dict[str, Any], row: Row) -> Any:
    if row.api:
        return getattr(client, method.lower())(path, body, format="multipart" if row.multipart else "json")
    # A page's form posts as a browser does (the API client's default format is JSON).
    return getattr(client, method.lower())(path, body, format="multipart") if method != "GET" else client.get(path)


def _client(kind: str, world: World) -> APIClient:
    client = APIClient()
    if kind == "anon":
        return client
    if kind.startswith("token_"):
        return token_clients(world)[kind]
    base = kind.removesuffix("_p")
    user = world.users[base]
    if base in STAFF and not kind.endswith("_p"):
        login_staff(client, user)
    else:
        client.force_login(user)  # password only: django-otp leaves the session unverified
    return client


def _fill(value: Any, world: World) -> Any:
    if isinstance(value, str):
        return value.format(**world.ids)
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


# The same answer for everyone (public pages): asked of these kinds only, which cover each way in.
UNIFORM_KINDS = {"anon", "plain", "superuser", "token_read", "token_expired"}


def _uniform(row: Row) -> bool:
    return all(set(cell) <= {"anon", "*"} and len(set(cell.values())) == 1 for cell in row.cells.values())


def _check(kind: str, rows: dict[str, Row], world: World) -> list[str]:
    client = _client(kind, world)
    wrong = []
    for route, row in rows.items():
        if kind.startswith("token_") and not row.api:
            continue  # the pages read no tokens: a token is an anonymous visitor there
        if _uniform(row) and kind not in UNIFORM_KINDS:
            continue
        path, body = _fill(row.path, world), _fill(row.body, world)
        for method in row.cells:
            expected = row.expected(method, kind)
            refused_write = method in WRITES and expected not in ("pass", "any")
            before = fingerprint() if refused_write else None
            got = classify(_request(client, method, path, body, row))
            if not matches(expected, got):
                wrong.append(f"{method} {route} as {kind}: expected {expected}, got {got}")
            elif refused_write and (fingerprint() != before or registry_inconsistencies(world.org_ids)):
                wrong.append(f"{method} {route} as {kind}: refused with {got} but something changed")
    return wrong


@pytest.mark.parametrize("kind", KINDS)
def test_the_matrix(kind: str, settings: Any) -> None:
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()  # the report form's rate limit counts per address across tests
    world = build_world()
    rows = {**ROWS, **(ADMIN_ROWS if not kind.startswith("token_") else {})}
    wrong = _check(kind, rows, world)
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("kind", ["anon", "plain", "rep_a", "superuser_p"])
def test_every_admin_page_asks_for_a_verified_staff_session(kind: str) -> None:
    """Every admin URL, Django's model pages included: without a verified staff session, the login."""
    world = build_world(minimal=True)
    client = _client(kind, world)
    wrong = []
    for route in all_routes():
        if not route.startswith("admin/") or route.startswith("admin/login") or route == "admin/logout/":
            continue
        path = "/" + _sample_path(route)
        got = classify(client.get(path))
        if got not in ("admin_login", "404"):
            wrong.append(f"GET {route} as {kind}: {got}")
    assert wrong == [], "\n".join(wrong)


def _sample_path(route: str) -> str:
    import re

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "start_review" if m.group(1) == "action" else "1", route)
    path = re.sub(r"\^|\$|\(\?P<\w+>[^)]*\)", lambda m: "x" if m.group(0).startswith("(") else "", path)
    return path
