"""Account plumbing by django-allauth, in the site's layout: sign up, confirm, log in, reset, change."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "Zheng-shu-2026-qian"


def _link(body: object) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", str(body))
    assert match is not None, body
    return match.group(1)


def test_sign_up_confirm_log_in_change_and_reset_password(client):
    response = client.post(reverse("account_signup"), {"email": "li@example.cn", "password1": PASSWORD,
                                                         "password2": PASSWORD})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.cn"]
    # Mandatory verification: not in before the e-mail is confirmed.
    assert client.get(reverse("portal:dashboard")).status_code == 302
    confirm = _link(mail.outbox[0].body)
    page = client.get(confirm)
    assert page.status_code == 200 and 'class="site-header"' in page.content.decode()  # our base.html
    client.post(confirm)
    client.post(reverse("account_login"), {"login": "li@example.cn", "password": PASSWORD})
    assert "尚未关联单位" in client.get(reverse("portal:dashboard")).content.decode()

    new = PASSWORD + "-2"
    response = client.post(reverse("account_change_password"),
                           {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    assert get_user_model().objects.get(email="li@example.cn").check_password(new)

    client.post(reverse("account_logout"))
    assert client.get(reverse("portal:dashboard")).status_code == 302
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "li@example.cn"})
    reset = _link(mail.outbox[0].body)
    response = client.get(reset, follow=True)
    final = PASSWORD + "-3"
    client.post(response.redirect_chain[-1][0] if response.redirect_chain else reset,
                {"password1": final, "password2": final})
    assert get_user_model().objects.get(email="li@example.cn").check_password(final)


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_use_the_site_layout_in_chinese(client, name):
    html = client.get(reverse(name)).content.decode()
    assert 'class="site-header"' in html and "<title>" in html and "· 《政务移动互联网应用程序行业生态服务商自律公约》成员登记</title>" in html
    assert "<label" in html
