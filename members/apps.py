from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("成员登记")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import groups, permissions, search, site

        groups.declare(permissions)
        groups.connect()
        site.connect()
        # A later migration that rebuilds the organisation table on SQLite drops the search triggers.
        post_migrate.connect(search.ensure_sqlite_index, sender=self, dispatch_uid="members-sqlite-search")
