"""Who may publish the lists (Art 25), and the publishers' permissions for bulletins and their schedule."""

from __future__ import annotations

from members.core.policy import JOBS, Permission, allow, staff
from members.groups import PUBLISHER

PUBLISH = "publications.add_publication"

RULES: dict[str, Permission] = {
    "publication.request": allow(staff(PUBLISH)),
    "publication.correct": allow(staff(PUBLISH)),
    "publication.requeue": allow(staff(PUBLISH)),
    # Rendering is the worker's: claim (or take over a stale claim), then publish or fail.
    "publication.claim": allow(JOBS),
    "publication.reclaim": allow(JOBS),
    "publication.publish": allow(JOBS),
    "publication.fail": allow(JOBS),
    "publication.retry": allow(JOBS),  # a transient failure goes back to the queue
    "publication.sweep": allow(JOBS),
}

GROUPS: dict[str, list[str]] = {
    PUBLISHER: [
        "publications.view_publication", PUBLISH, "publications.view_publicationfile",
        "django_celery_beat.view_periodictask", "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule", "django_celery_beat.add_crontabschedule",
        "django_celery_beat.change_crontabschedule",
    ],
}
