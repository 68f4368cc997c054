"""Name the site after the registry (allauth's e-mails use it), after every migrate and flush."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db.models.signals import post_migrate


def name_site(**kwargs: Any) -> None:
    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": "公约成员登记"})


def connect() -> None:
    post_migrate.connect(name_site, dispatch_uid="members.name_site")
