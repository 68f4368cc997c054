"""A representative acts for their own organisation only: anything of another answers 404 and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members import services
from members.models import (
    Document,
    Feedback,
    Invitation,
    JoinApplication,
    Notification,
    Representative,
    WithdrawalNotice,
)
from tests.factories import make_representative, make_signatory, upload
from tests.helpers import for_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_objects(org_b, rep_b, app_b):
    """Company B's application, documents, withdrawal notice, notification, colleague and invitation."""
    colleague = make_representative(org_b, "colleague-b@example.org")
    invitation = Invitation.objects.create(organisation=org_b, email="invitee-b@example.org", invited_by=rep_b)
    other = make_signatory()
    make_representative(other, "rep-c@example.org")
    notice = services.withdrawal_file(for_org(other), other, reason="私密理由C",
                                      letter=upload("letter.pdf"))
    return {
        "app": app_b, "doc": app_b.documents.first(), "letter": notice.documents.get(), "notice": notice,
        "note": Notification.objects.filter(organisation=other).first(),
        "colleague": Representative.objects.get(user=colleague), "invitation": invitation,
    }


def test_every_url_of_another_company_answers_404(client_a, b_objects):
    o = b_objects
    app_pk = o["app"].pk
    gets = [
        reverse("portal:application", args=[app_pk]),
        reverse("portal:application_edit", args=[app_pk]),
        reverse("portal:signature_page", args=[app_pk]),
        reverse("portal:withdrawal", args=[o["notice"].pk]),
        reverse("portal:notification", args=[o["note"].pk]),
        reverse("document_download", args=[o["doc"].pk]),
        reverse("document_download", args=[o["letter"].pk]),
    ]
    for url in gets:
        assert client_a.get(url).status_code == 404, url
    posts = [
        (reverse("portal:application_edit", args=[app_pk]), {"name": "篡改"}),
        (reverse("portal:application_edit", args=[app_pk]), {"name": "篡改", "sealed_page": upload()}),
        (reverse("portal:application_submit", args=[app_pk]), {}),
        (reverse("portal:withdrawal_cancel", args=[o["notice"].pk]), {}),
        (reverse("portal:representative_remove", args=[o["colleague"].pk]), {}),
        (reverse("portal:invitation_revoke", args=[o["invitation"].pk]), {}),
    ]
    docs = Document.objects.count()
    for url, data in posts:
        assert client_a.post(url, data).status_code == 404, url
    app = JoinApplication.objects.get(pk=app_pk)
    assert app.state == "draft" and app.organisation.name != "篡改"
    assert Document.objects.count() == docs
    assert WithdrawalNotice.objects.get(pk=o["notice"].pk).state == "filed"
    assert Representative.objects.filter(pk=o["colleague"].pk).exists()
    assert Invitation.objects.get(pk=o["invitation"].pk).revoked_at is None


def test_lists_show_only_own_organisation(client_a, org_a, b_objects):
    for name in ("portal:dashboard", "portal:notifications", "portal:team"):
        html = client_a.get(reverse(name)).content.decode()
        assert "乙方软件服务有限公司" not in html, name
        assert "colleague-b@example.org" not in html and "invitee-b@example.org" not in html
        assert "退出通知已提交" not in html  # company C's notification
        assert "私密理由C" not in html


def test_own_document_downloads(client_a, org_a, rep_a):
    from tests.factories import make_application

    app = make_application(org_a, rep_a)
    doc = app.documents.get(kind="sealed_page")
    response = client_a.get(reverse("document_download", args=[doc.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_anonymous_is_sent_to_login(client, app_b):
    for url in (reverse("portal:dashboard"), reverse("portal:application", args=[app_b.pk]),
                reverse("portal:feedback")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), url


def test_account_without_organisation_cannot_reach_organisation_pages(client, newcomer, app_b):
    client.force_login(newcomer)
    assert "尚未关联单位" in client.get(reverse("portal:dashboard")).content.decode()
    response = client.get(reverse("portal:application", args=[app_b.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
    assert client.post(reverse("portal:feedback"), {"subject": "x", "body": "y"}).status_code == 302
    assert not Feedback.objects.exists()


def test_existing_code_with_representatives_cannot_be_taken_over(client, newcomer, org_b, rep_b):
    from tests.portal.test_application import ORG_POST

    client.force_login(newcomer)
    response = client.post(reverse("portal:apply"), {**ORG_POST, "uscc": org_b.uscc})
    assert response.status_code == 400
    assert "该单位已有代表账户" in response.content.decode()
    assert not Representative.objects.filter(user=newcomer).exists()
    assert not JoinApplication.objects.filter(organisation=org_b).exists()
