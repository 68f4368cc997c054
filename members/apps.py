from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("成员登记")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import groups, permissions, search, site

        groups.declare(permissions)
        from .core import seeds

        seeds.declare(_schedules)
        seeds.connect(self)
        groups.connect()
        site.connect()
        from django.contrib.auth.signals import user_logged_in

        from .accounts.signals import adopt_language_on_login

        user_logged_in.connect(adopt_language_on_login, dispatch_uid="members-adopt-language")
        # A later migration that rebuilds the organisation table on SQLite drops the search triggers.
        post_migrate.connect(search.ensure_sqlite_index, sender=self, dispatch_uid="members-sqlite-search")
        _forget_stamp_on_change()
        from .public import later

        later.connect()


def _forget_stamp_on_change() -> None:
    """Saving what the register's stamp reads makes this process read it again (the status projection's
    ``update()`` calls ``forget_register_stamp`` itself)."""
    from django.db.models.signals import post_delete, post_save

    from .details.models import OrganisationDetails
    from .models import MembershipEvent, Organisation
    from .public.selectors import forget_register_stamp

    for model in (Organisation, MembershipEvent, OrganisationDetails):
        for signal in (post_save, post_delete):
            signal.connect(forget_register_stamp, sender=model, dispatch_uid=f"stamp-{model.__name__}-{signal}")


def _schedules() -> None:
    from .core.seeds import periodic_task

    periodic_task("members: apply membership ends that fell due", "members.tasks.memberships_apply_due",
                  every_minutes=5)
