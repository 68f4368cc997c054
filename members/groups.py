"""Staff groups and exactly the permissions each needs, kept in step after every migration.

Each app declares its own share (``GROUPS`` in its ``permissions.py``) and registers it when ready;
this module knows the group names and nothing of other apps' permissions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models.signals import post_migrate

REVIEWER = "审核员"  # reviews applications, sealed pages and withdrawals
COMPLAINT_OFFICER = "投诉处理专员"  # verifies complaints, decides measures, mediates
PUBLISHER = "名单发布员"  # publishes bulletins and runs ballots

GROUP_PERMISSIONS: dict[str, list[str]] = {REVIEWER: [], COMPLAINT_OFFICER: [], PUBLISHER: []}


def register(groups: Mapping[str, Sequence[str]]) -> None:
    """Add an app's permissions ("app_label.codename") to the groups (called from its AppConfig.ready)."""
    for name, codenames in groups.items():
        current = GROUP_PERMISSIONS.setdefault(name, [])
        current.extend(c for c in codenames if c not in current)


def declare(permissions: Any) -> None:
    """Register an app's ``permissions`` module: its ``RULES`` in the policy table, its ``GROUPS`` here."""
    from members.core import policy

    policy.register(permissions.RULES)
    register(permissions.GROUPS)


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
