"""Existing organisations get a first details version from their current record, valid from their
first event's date; and beat applies scheduled membership ends (every five minutes, catching up).

The register had no versions before: the current record is the best knowledge of past details.
"""

from django.db import migrations

TASK_NAME = "members: apply membership ends that fell due"
TASK = "members.tasks.memberships_apply_due"


def _mask(code):
    # members.uscc.mask, copied so that the migration does not depend on later code.
    return code[:8] + "*" * 8 + code[-2:] if code.startswith("92") else code


def first_versions(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    MembershipEvent = apps.get_model("members", "MembershipEvent")
    OrganisationDetails = apps.get_model("members", "OrganisationDetails")
    first = {}
    for org_id, day in MembershipEvent.objects.order_by("organisation_id", "effective_date", "id").values_list(
            "organisation_id", "effective_date"):
        first.setdefault(org_id, day)
    have = set(OrganisationDetails.objects.values_list("organisation_id", flat=True))
    rows = []
    for org in Organisation.objects.filter(pk__in=list(first)).iterator(chunk_size=2000):
        if org.pk in have:
            continue
        rows.append(OrganisationDetails(
            organisation_id=org.pk, valid_from=first[org.pk], name=org.name, name_en=org.name_en, roles=org.roles,
            region=org.region, uscc_public=_mask(org.uscc), reason="迁移：按现有登记信息建立首个版本",
        ))
        if len(rows) >= 2000:
            OrganisationDetails.objects.bulk_create(rows)
            rows = []
    OrganisationDetails.objects.bulk_create(rows)


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": TASK, "interval": every, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_history_details_versions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(first_versions, migrations.RunPython.noop),
        migrations.RunPython(schedule, unschedule),
    ]
