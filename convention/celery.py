"""The Celery application shared by the web process, the worker and beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention.settings")

app = Celery("convention")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages that are not Django apps but hold tasks (portal e-mails, ballot closing).
app.autodiscover_tasks(["members.portal", "convention.amendments"])
