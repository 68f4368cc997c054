"""Row locks the services share, all FOR NO KEY UPDATE (see ``lock_org``). Hold them in a transaction."""

from __future__ import annotations

from ..models import (
    JoinApplication,
    Organisation,
)


def lock_application(application: JoinApplication) -> JoinApplication:
    return JoinApplication.objects.select_for_update(no_key=True).select_related("organisation").get(pk=application.pk)

def lock_org(org: Organisation) -> Organisation:
    """Lock the row FOR NO KEY UPDATE, as every service lock here does (except before a delete).

    A plain FOR UPDATE also blocks the KEY SHARE lock PostgreSQL takes for each insert that references
    the row (a notification, a vote): a departure holding its organisation then waited for the log
    while a closing ballot holding the log waited to notify that organisation, a deadlock.
    """
    return Organisation.objects.select_for_update(no_key=True).get(pk=org.pk)
