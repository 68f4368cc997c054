"""Data-subject export and retention jobs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from members import services
from members.audit.admin import export_organisation_data
from members.audit.models import AuditEntry
from members.audit.tasks import apply_retention
from members.models import Document, MembershipStatus, Organisation
from tests.factories import OrganisationFactory, make_application, make_signatory, revoke, upload
from tests.helpers import act

pytestmark = pytest.mark.django_db


def new_org() -> Any:
    return OrganisationFactory()


def test_export_command_writes_everything_about_one_organisation(org_a, rep_a, org_b, tmp_path):
    app = make_application(org_a, rep_a)
    services.application_submit(act(rep_a), app)
    out = tmp_path / "org.json"
    call_command("export_org_data", org_a.uscc, "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["organisation"]["uscc"] == org_a.uscc
    assert data["organisation"]["contact_phone"] == org_a.contact_phone  # the organisation's own data
    assert data["accounts"][0]["email"] == "rep-a@example.org"
    apps_ = data["related"]["members.joinapplication"]
    assert apps_[0]["state"] == "submitted"
    assert "submit" in {e["action"] for e in apps_[0]["_related"]["members.applicationevent"]}
    assert len(data["related"]["members.document"]) == 2
    text = out.read_text(encoding="utf-8")
    assert org_b.uscc not in text and org_b.contact_email not in text
    assert "pbkdf2" not in text and "md5$" not in text and "password" not in text
    assert AuditEntry.objects.filter(action="export", object_id=str(org_a.pk)).exists()


def test_export_command_refuses_an_unknown_code():
    with pytest.raises(CommandError):
        call_command("export_org_data", "91110108000000000X", stdout=StringIO())


def test_export_admin_action_answers_a_json_attachment(org_a, superuser):
    request: Any = RequestFactory().get("/admin/members/organisation/")
    request.user = superuser
    response = export_organisation_data(None, request, Organisation.objects.filter(pk=org_a.pk))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data[0]["organisation"]["uscc"] == org_a.uscc


def test_retention_deletes_old_superseded_documents_and_keeps_current_ones(org_a, rep_a, settings):
    settings.RETENTION_SUPERSEDED_DOCUMENT_DAYS = 30
    app = make_application(org_a, rep_a)
    old: Any = app.current_document(Document.Kind.SEALED_PAGE)
    services.document_upload(act(rep_a), organisation=org_a, kind=Document.Kind.SEALED_PAGE, upload=upload(),
                             application=app)
    old.refresh_from_db()
    assert old.superseded
    storage, name = old.file.storage, old.file.name
    Document.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=31))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        result = apply_retention()
    assert result["superseded_documents_deleted"] == 1
    assert not Document.objects.filter(pk=old.pk).exists() and not storage.exists(name)
    assert app.current_document(Document.Kind.SEALED_PAGE) is not None
    assert app.current_document(Document.Kind.BUSINESS_LICENCE) is not None
    assert AuditEntry.objects.filter(model="members.document", object_id=str(old.pk), action="delete",
                                     source="retention").exists()


def test_retention_anonymises_contacts_of_long_gone_members_only(settings, superuser):
    settings.RETENTION_FORMER_MEMBER_CONTACT_DAYS = 365
    gone = make_signatory(new_org(), on=date(2020, 1, 1))
    revoke(gone, date(2021, 1, 1), staff=superuser, public_notice="n")
    recent = make_signatory(new_org(), on=date(2020, 1, 1))
    revoke(recent, date.today() - timedelta(days=10), staff=superuser, public_notice="n")
    member = make_signatory(new_org(), on=date(2020, 1, 1))
    assert apply_retention()["former_member_contacts_anonymised"] == 1
    gone.refresh_from_db()
    recent.refresh_from_db()
    member.refresh_from_db()
    assert (gone.contact_name, gone.contact_phone, gone.contact_email) == ("", "", "")
    assert gone.status == MembershipStatus.REVOKED and gone.name  # the register entry itself stays
    assert recent.contact_phone and member.contact_phone
    assert apply_retention()["former_member_contacts_anonymised"] == 0  # idempotent


def test_retention_is_scheduled_by_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"members.audit.tasks.apply_retention", "members.audit.tasks.sweep_outbox"} <= tasks


def test_export_action_is_offered_on_the_organisation_admin(client, org_a, superuser):
    from tests.helpers import login_staff

    login_staff(client, superuser)
    response = client.post("/admin/members/organisation/", {"action": "export_organisation_data",
                                                            "_selected_action": [org_a.pk]})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)[0]["organisation"]["uscc"] == org_a.uscc


def test_export_never_hands_over_a_reporters_identity(org_a):
    from complaints.models import Complaint

    Complaint.objects.create(organisation=org_a, description="强制签到", reporter_name="李举报",
                             reporter_email="whistle@private.example.org", reporter_phone="13611112222",
                             tracking_hash="f" * 64, received_at=timezone.now())
    out = StringIO()
    call_command("export_org_data", org_a.uscc, stdout=out)
    data = json.loads(out.getvalue())
    assert data["related"]["complaints.complaint"][0]["description"] == "强制签到"
    for private in ("李举报", "whistle@private.example.org", "13611112222", "f" * 64):
        assert private not in out.getvalue()
