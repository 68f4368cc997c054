"""What the data migrations create is restored after a flush: convention version 1 and the beat schedules.

Every transactional test flushes the database; without this, whichever test ran after one found no
convention text and no schedules (the suite failed in a random order).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from convention.text.models import Article, ConventionVersion
from members.core import seeds


def _schedules() -> list[tuple[str, str, str, str, str, bool]]:
    return sorted((t.name, t.task, str(t.interval or ""),
                   f"{t.crontab.minute} {t.crontab.hour} {t.crontab.day_of_month} {t.crontab.month_of_year} "
                   f"{t.crontab.day_of_week} {t.crontab.timezone}" if t.crontab else "", t.kwargs, t.enabled)
                  for t in PeriodicTask.objects.select_related("interval", "crontab"))


@pytest.mark.django_db(transaction=True)
def test_a_flush_keeps_version_1_and_the_schedules_the_migrations_made():
    migrated = _schedules()
    articles = list(Article.objects.filter(version__number=1).order_by("number").values_list("number", "text"))
    assert len(migrated) >= 5 and len(articles) > 20
    call_command("flush", interactive=False, verbosity=0)
    assert _schedules() == migrated
    assert list(Article.objects.filter(version__number=1).order_by("number")
                .values_list("number", "text")) == articles
    assert ConventionVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_staff_edit_of_a_schedule_survives_the_seeds():
    task = PeriodicTask.objects.get(name="convention: close due ballots")
    task.enabled = False
    task.save()
    seeds.run_all()
    assert PeriodicTask.objects.get(pk=task.pk).enabled is False
    assert PeriodicTask.objects.filter(name="convention: close due ballots").count() == 1
