"""Amendment tasks moved from ``convention.tasks`` to ``convention.amendments.tasks``: rename schedules."""

from django.db import migrations

OLD, NEW = "convention.tasks.", "convention.amendments.tasks."


def rename(apps, schema_editor, old=OLD, new=NEW):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task in PeriodicTask.objects.filter(task__startswith=old):
        task.task = new + task.task[len(old):]
        task.save(update_fields=["task"])


def unrename(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("convention", "0004_schedule_ballot_closing"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(rename, unrename)]
