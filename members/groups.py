"""Staff groups and exactly the permissions each needs, kept in step after every migration."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_migrate

REVIEWER = "审核员"  # reviews applications, sealed pages and withdrawals
COMPLAINT_OFFICER = "投诉处理专员"  # verifies complaints, decides measures, mediates
PUBLISHER = "名单发布员"  # publishes bulletins and runs ballots

# app_label -> {group: [permission codenames]}. Other apps add their models here.
GROUP_PERMISSIONS: dict[str, list[str]] = {
    REVIEWER: [
        "members.view_organisation", "members.change_organisation", "members.add_organisation",
        "members.view_membership", "members.view_membershipevent",
        "members.view_joinapplication", "members.change_joinapplication",
        "members.view_applicationevent", "members.view_document",
        "members.view_withdrawalnotice", "members.change_withdrawalnotice", "members.view_withdrawalevent",
        "members.view_representative", "members.view_feedback", "members.change_feedback",
    ],
    COMPLAINT_OFFICER: [
        "members.view_organisation", "members.view_membership", "members.view_membershipevent",
        "complaints.view_complaint", "complaints.change_complaint", "complaints.view_reporter_contact",
        "complaints.view_complaintevent", "complaints.view_evidence",
        "complaints.view_correctionorder", "complaints.view_correctionevent", "complaints.view_internalnotice",
        "complaints.view_dispute", "complaints.change_dispute", "complaints.view_disputeevent",
    ],
    PUBLISHER: [
        "members.view_organisation", "members.view_membership", "members.view_membershipevent",
        "django_celery_beat.view_periodictask", "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule", "django_celery_beat.add_crontabschedule",
        "django_celery_beat.change_crontabschedule",
        # Art 24: executive-body proposals and ballots
        "convention.view_proposal", "convention.add_proposal", "convention.change_proposal",
        "convention.view_proposalchange", "convention.add_proposalchange", "convention.change_proposalchange",
        "convention.delete_proposalchange", "convention.view_sponsorship", "convention.view_proposalevent",
        "convention.view_ballot", "convention.add_ballot", "convention.change_ballot",
        "convention.view_vote", "convention.view_electoratemember",
        "publications.view_publication", "publications.add_publication", "publications.view_publicationfile",
    ],
}


def sync_groups(**kwargs: Any) -> None:
    from django.contrib.auth.models import Group, Permission

    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for full in codenames:
            app_label, codename = full.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


def connect() -> None:
    post_migrate.connect(sync_groups, dispatch_uid="members.sync_groups")
