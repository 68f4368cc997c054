import pytest
from django.contrib.sites.models import Site
from django.core import mail


@pytest.mark.django_db
def test_account_emails_name_the_registry_not_example_com(client, settings):
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    site = Site.objects.get_current()
    assert site.name == "公约成员登记" and site.domain != "example.com"
    user = UserFactory(username="someone@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/accounts/password/reset/", {"email": user.email})
    body = mail.outbox[-1].body
    assert "example.com" not in body and "Hello" not in body
    assert body.startswith("您好：") and "公约执行机构" in body
