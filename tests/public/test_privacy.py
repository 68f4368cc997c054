"""No private value reaches any public page, API answer, export or feed (Art 8, PIPL)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.public.seed import PUBLIC_NOTICE, Register

pytestmark = pytest.mark.django_db


def public_urls(register: Register) -> list[str]:
    orgs = [register.current, register.rejoined, register.withdrawn, register.revoked, register.individual]
    urls = [
        reverse("public:home"), reverse("public:register"), reverse("public:register") + "?status=revoked",
        reverse("public:register") + "?q=保密", reverse("public:register") + "?sort=-joined_on&per_page=100",
        reverse("public:export_csv"), reverse("public:export_csv") + "?status=withdrawn",
        reverse("public:export_json"), reverse("public:export_json") + "?status=revoked", reverse("public:feed"),
        "/api/v1/organizations/", "/api/v1/organizations/?status=revoked", "/api/v1/organizations/?page_size=100",
        "/api/v1/organizations/?sort=-joined_on", reverse("convention:current"),
    ]
    for org in orgs:
        urls.append(reverse("public:profile", args=[org.pk]))
        urls.append(f"/api/v1/organizations/{org.public_uscc}/")
        urls.append(f"/api/v1/organizations/{org.public_uscc}/status/?on=2024-06-01")
    return urls


def content(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8")


def test_no_private_value_appears_in_any_public_answer(client, register: Register):
    seen_notice = False
    for url in public_urls(register):
        response = client.get(url, HTTP_ACCEPT="application/json" if url.startswith("/api/") else "text/html")
        assert response.status_code in (200, 404), url
        text = content(response)
        seen_notice = seen_notice or PUBLIC_NOTICE in text
        for value in register.private_values:
            assert value not in text, f"{value!r} leaked on {url}"
    assert seen_notice  # the checks looked at real content


def test_an_individual_business_can_be_checked_by_its_full_code_but_the_answer_masks_it(client, register):
    code = register.individual.uscc
    for url in (f"/api/v1/organizations/{code}/", f"/api/v1/organizations/{code}/status/",
                reverse("public:register") + f"?q={code}"):
        response = client.get(url, HTTP_ACCEPT="application/json" if url.startswith("/api/") else "text/html")
        assert response.status_code == 200
        # The search box and the language form echo the visitor's own input; nothing else may show it.
        text = content(response).replace(f'value="{code}"', "").replace(f"?q={code}", "")
        assert code not in text
        assert register.individual.public_uscc in text
