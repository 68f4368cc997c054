"""The audit log: every change recorded with who/what/when/before/after, masked, append-only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from members import services
from members.audit import record
from members.audit.context import acting
from members.audit.inventory import fields_of
from members.audit.masking import is_personal
from members.audit.models import AuditEntry
from members.audit.signals import is_audited
from members.models import ApplicationState, JoinApplication, Organisation
from tests.factories import OrganisationFactory, make_application
from tests.helpers import act, login_staff

pytestmark = pytest.mark.django_db


def entries(model: str, pk: Any) -> list[Any]:
    return list(AuditEntry.objects.filter(model=model, object_id=str(pk)).order_by("id"))


def test_staff_change_records_actor_before_after_and_masks_personal_data(reviewer):
    org: Any = OrganisationFactory(contact_phone="13912345678", contact_name="张三")
    with acting(user=reviewer, source="admin", request_id="req-1", ip="10.1.2.3"):
        org.name = "新名称有限公司"
        org.contact_phone = "13800000000"
        org.save()
    entry = entries("members.organisation", org.pk)[-1]
    assert entry.action == "update" and entry.actor_id == reviewer.pk and entry.actor_is_staff
    assert entry.actor_name == reviewer.username and entry.source == "admin" and entry.ip == "10.1.2.3"
    assert entry.before["name"] != "新名称有限公司" and entry.after["name"] == "新名称有限公司"
    assert {"name", "contact_phone"} <= set(entry.changed)
    text = json.dumps([entry.before, entry.after], ensure_ascii=False)
    for private in ("13912345678", "13800000000", "张三", org.contact_email):
        assert private not in text
    assert entry.before["contact_phone"] != entry.after["contact_phone"]  # the change is still visible


def test_service_changes_of_applications_and_memberships_are_recorded(org_a, rep_a, reviewer):
    app = make_application(org_a, rep_a)
    services.application_submit(act(rep_a), app)
    with acting(user=reviewer):
        services.application_start_review(act(reviewer), app)
        services.application_verify_sealed_page(act(reviewer), app)
        services.application_approve(act(reviewer), app)
    app_entries = entries("members.joinapplication", app.pk)
    assert [e.after["state"] for e in app_entries if e.action == "update" and "state" in e.changed] == [
        ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW, ApplicationState.APPROVED,
    ]
    approve: Any = [e for e in app_entries if e.after.get("state") == ApplicationState.APPROVED][0]
    assert approve.actor_id == reviewer.pk and approve.before["state"] == ApplicationState.UNDER_REVIEW
    assert AuditEntry.objects.filter(model="members.membership", action="create").count() == 1
    event: Any = AuditEntry.objects.get(model="members.membershipevent", action="create")
    assert event.actor_id == reviewer.pk and event.after["kind"] == "joined"


def test_admin_change_through_the_admin_is_recorded_with_the_request(client, superuser):
    login_staff(client, superuser)
    target = get_user_model().objects.create_user("someone@example.org", "someone@example.org", "pw-123456789")
    url = reverse("admin:auth_user_change", args=[target.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("groups", "user_permissions",
                                                                                  "password")}
    data.update({"is_staff": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
                 "last_login_0": "", "last_login_1": "", "is_active": "on"})
    response = client.post(url, data, HTTP_X_REQUEST_ID="abc-123")
    assert response.status_code == 302, response.content[:500]
    entry = [e for e in entries("auth.user", target.pk) if "is_staff" in e.changed][-1]
    assert entry.actor_id == superuser.pk and entry.source == "admin" and entry.request_id == "abc-123"
    assert entry.before["is_staff"] is False and entry.after["is_staff"] is True
    assert "someone@example.org" not in json.dumps(entry.after)


def test_deletes_and_explicit_records():
    org: Any = OrganisationFactory()
    pk = org.pk
    org.delete()
    deleted = entries("members.organisation", pk)[-1]
    assert deleted.action == "delete" and deleted.before["uscc"] == org.uscc and deleted.after is None
    entry: Any = record("ballot_closed", model="convention.ballot", object_id=7, before={"open": True},
                   after={"open": False, "reporter_phone": "13700000000"}, note="by service")
    assert entry.changed == ["open", "reporter_phone"] and "13700000000" not in json.dumps(entry.after)


def test_audit_entries_are_append_only(db):
    entry = record("other", model="members.organisation", object_id=1)
    entry.note = "tampered"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_admin_shows_the_log_read_only_even_to_a_superuser(client, superuser, reviewer):
    entry = record("other", model="members.organisation", object_id=1)
    login_staff(client, superuser)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    response = client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"note": "x"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.note == ""
    client.logout()
    login_staff(client, reviewer)  # staff roles may read the log
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200


def test_mechanism_covers_every_model_of_the_audited_apps(settings):
    assert is_audited(Organisation) and is_audited(JoinApplication) and not is_audited(AuditEntry)
    for label in ("complaints", "convention", "publications"):
        assert label in settings.AUDITED_APP_LABELS
        for model in apps.get_app_config(label).get_models():
            assert is_audited(model)


def test_every_personal_field_of_the_register_is_in_the_inventory():
    for label in ("members", "auth", "otp_totp", "otp_static", "axes", "account", "convention", "complaints", "publications"):
        for model in apps.get_app_config(label).get_models():
            model_label = model._meta.label_lower
            for field in model._meta.concrete_fields:
                if is_personal(model_label, field.name) and not field.is_relation:
                    assert field.name in fields_of(model_label), f"{model_label}.{field.name} missing"


def test_logins_do_not_flood_the_log_but_device_enrolment_is_recorded(client, superuser):
    from tests.helpers import staff_device

    device = staff_device(superuser)
    created = AuditEntry.objects.filter(model="otp_totp.totpdevice", object_id=str(device.pk), action="create")
    assert created.exists() and "[masked:" in created.get().after["key"]
    before = AuditEntry.objects.count()
    device.verify_token("000000")  # a code check only touches bookkeeping fields
    superuser.last_login = None
    superuser.save()
    assert AuditEntry.objects.count() == before
