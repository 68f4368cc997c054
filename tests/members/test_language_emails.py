"""E-mails in the recipient's language (issue 13): each account keeps a language, set from the language
it uses (the switcher, the login) and in the portal settings; one notification reaches a Chinese and an
English representative each in their own language (Django's locmem outbox)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members import services
from members.accounts.models import AccountPreference
from members.accounts.services import account_language_set
from members.core.errors import PermissionDenied
from members.models import Invitation, Notification
from members.portal.tasks import invitation_email
from members.tasks import notification_email, notification_message_id
from tests.factories import make_application, make_representative
from tests.helpers import act, for_org

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")
PASSWORD = "correct-horse-battery"  # the factories' password


def _prefer(user, language: str) -> None:
    account_language_set(act(user), user, language)


def test_one_notification_reaches_a_chinese_and_an_english_representative_each_in_their_language(reviewer):
    app = make_application()
    org = app.organisation
    make_representative(org, "wang@example.cn")  # no language chosen: the default, Chinese
    english = make_representative(org, "smith@example.com")
    _prefer(english, "en")
    services.application_submit(for_org(org), app)
    services.application_start_review(act(reviewer), app)
    services.application_return(act(reviewer), app, comment="请补充签署页")
    note = Notification.objects.get(organisation=org, kind="application_returned")
    mail.outbox.clear()

    assert notification_email(note.pk) is True
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["smith@example.com", "wang@example.cn"] and len(mail.outbox) == 2
    zh, en = by_address["wang@example.cn"], by_address["smith@example.com"]
    assert zh.subject == "[公约成员登记] 入约申请被退回修改"
    assert "审核意见：请补充签署页" in zh.body and "请登录单位工作台查看详情" in zh.body
    assert en.subject == "[Convention register] Join application returned for changes"
    assert "Review comments: 请补充签署页" in en.body
    # Only what was typed in Chinese (the comment, the organisation's name) stays Chinese in English.
    assert not CJK.search(en.body.replace("请补充签署页", "").replace(org.name, ""))
    assert zh.extra_headers["Message-ID"] == notification_message_id(note)
    assert en.extra_headers["Message-ID"] == notification_message_id(note, "en") != notification_message_id(note)
    assert en.extra_headers["Content-Language"] == "en"


def test_the_language_switcher_keeps_a_signed_in_accounts_language(client, rep_a):
    client.force_login(rep_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/portal/"})
    assert AccountPreference.objects.get(user=rep_a).language == "en"
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/portal/"})
    assert AccountPreference.objects.get(user=rep_a).language == "zh-hans"


def test_signing_in_adopts_the_language_in_use_unless_one_was_chosen(client, rep_a):
    EmailAddress.objects.create(user=rep_a, email=rep_a.email, verified=True, primary=True)
    client.cookies["django_language"] = "en"
    client.post(reverse("account_login"), {"login": rep_a.email, "password": PASSWORD})
    assert AccountPreference.objects.get(user=rep_a).language == "en"
    client.post(reverse("account_logout"))
    _prefer(rep_a, "zh-hans")
    client.post(reverse("account_login"), {"login": rep_a.email, "password": PASSWORD})
    assert AccountPreference.objects.get(user=rep_a).language == "zh-hans"  # a choice is kept


def test_the_portal_settings_page_changes_the_language_and_refuses_an_unknown_one(client, rep_a):
    client.force_login(rep_a)
    page = client.get(reverse("portal:settings")).content.decode()
    assert "<legend>界面和邮件的语言</legend>" in page
    response = client.post(reverse("portal:settings"), {"language": "en"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert AccountPreference.objects.get(user=rep_a).language == "en"
    assert "Settings saved" in client.get(reverse("portal:settings")).content.decode()

    response = client.post(reverse("portal:settings"), {"language": "fr"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert AccountPreference.objects.get(user=rep_a).language == "en" and AccountPreference.objects.count() == 1


def test_only_the_account_itself_sets_its_language(rep_a, rep_b):
    with pytest.raises(PermissionDenied):
        account_language_set(act(rep_b), rep_a, "en")
    assert not AccountPreference.objects.filter(user=rep_a).exists()


def test_an_invitation_goes_out_in_the_inviters_language_or_the_invitees_chosen_one(org_a, rep_a):
    _prefer(rep_a, "en")
    inv = Invitation.objects.create(organisation=org_a, email="new@example.org", invited_by=rep_a)
    mail.outbox.clear()
    assert invitation_email(inv.pk) is True
    assert mail.outbox[0].subject == f"[Convention register] {org_a.name} invites you to act as its representative"

    existing = make_representative(org_a, "colleague@example.cn")
    _prefer(existing, "zh-hans")
    inv = Invitation.objects.create(organisation=org_a, email="colleague@example.cn", invited_by=rep_a)
    invitation_email(inv.pk)
    assert mail.outbox[1].subject == f"[公约成员登记] {org_a.name} 邀请您成为单位代表"
