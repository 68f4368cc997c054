from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionConfig(AppConfig):
    name = "convention"
    verbose_name = _("公约文本与修订")

    def ready(self) -> None:
        from members.groups import declare

        from .amendments import permissions

        declare(permissions)

        from members.core import seeds

        seeds.declare(_version_1)
        seeds.declare(_schedules)
        from .amendments import receivers

        receivers.connect()

        from .transparency import register_kinds

        register_kinds()


def _version_1() -> None:
    """The convention's published text as version 1 (the data migration's loader; a no-op when present)."""
    import importlib

    from django.apps import apps

    importlib.import_module("convention.migrations.0002_load_version_1").load(apps, None)


def _schedules() -> None:
    from members.core.seeds import periodic_task

    periodic_task("convention: close due ballots", "convention.amendments.tasks.ballots_close_due", every_minutes=1)
