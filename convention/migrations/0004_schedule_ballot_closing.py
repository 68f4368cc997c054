"""Beat schedule: close ballots whose deadline has passed, every minute (Art 24).

Casting at or after the deadline is refused by the service whatever this job did; the job only makes
the outcome public without waiting for the next vote or page view.
"""

from django.db import migrations

TASK_NAME = "convention: close due ballots"
TASK = "convention.tasks.ballots_close_due"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME, defaults={"task": TASK, "interval": every_minute, "enabled": True}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("convention", "0003_amendments_and_ballots"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
