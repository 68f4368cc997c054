"""Beat schedule for the complaints jobs, created once; staff may change the times in the admin."""

from django.db import migrations

JOBS = [
    ("complaints: flag overdue correction orders", "complaints.tasks.correction_orders_flag_overdue", "10", "1"),
    ("complaints: erase reporters' contact details after retention", "complaints.tasks.reporter_contacts_purge",
     "20", "2"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in JOBS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule, "enabled": True})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[j[0] for j in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_cases_measures_disputes"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]
    operations = [migrations.RunPython(create, remove)]
