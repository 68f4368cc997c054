"""Art 15 feedback: representatives write, staff read in the admin, the public never sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Feedback
from tests.helpers import login_staff

pytestmark = pytest.mark.django_db


def test_feedback_is_stored_and_readable_by_staff_only(client, client_a, org_a, rep_a, superuser):
    response = client_a.post(reverse("portal:feedback"), {"subject": "希望增加英文说明", "body": "签署页能否附英文译文？"})
    assert response.status_code == 302
    fb = Feedback.objects.get()
    assert (fb.organisation, fb.author, fb.subject) == (org_a, rep_a, "希望增加英文说明")

    client.logout()
    for url in ("/", reverse("public:register")):
        assert "希望增加英文说明" not in client.get(url).content.decode()
    login_staff(client, superuser)
    response = client.get(reverse("admin:members_feedback_changelist"))
    assert response.status_code == 200 and "希望增加英文说明" in response.content.decode()
    assert client.get(reverse("admin:members_feedback_add")).status_code == 403


def test_empty_feedback_is_refused_next_to_the_field(client_a):
    response = client_a.post(reverse("portal:feedback"), {"subject": "", "body": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "该字段是必填项" in html[html.index('for="id_subject"'):html.index('for="id_body"')]
    assert not Feedback.objects.exists()
