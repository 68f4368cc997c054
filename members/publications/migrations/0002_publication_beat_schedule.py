"""The beat schedule of bulletins as rows staff can edit in the admin (django-celery-beat).

Monthly by default: at 02:00 on the 1st (Asia/Shanghai) the last month's bulletin is created and
queued. Staff change the cadence by editing the crontab, and the period length with the task's
kwargs ``{"months": N}`` (1 monthly, 3 quarterly, 12 yearly).
"""

from django.db import migrations

TASK_NAME = "名单公告：创建并生成上一期"
TASK = "members.publications.tasks.publication_create_due"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_month="1", month_of_year="*", day_of_week="*", timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": TASK, "crontab": schedule, "kwargs": '{"months": 1}', "enabled": True,
                  "description": "Art 25: periodic published list of units that joined and withdrew."},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_publication_and_files"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
