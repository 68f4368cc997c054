from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "members.transparency"
    label = "transparency"
    verbose_name = _("公开日志")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import entries  # noqa: F401  (registers the register's own entry kinds)

        post_migrate.connect(_backfill_after_migrate, sender=self)


def _backfill_after_migrate(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Facts written by data migrations (version 1 of the convention) or before the log existed get
    their entries right after ``migrate``; a no-op once everything is logged."""
    import contextlib

    from django.db import DatabaseError

    from .services import log_backfill

    # A partial migrate (some apps' tables not there yet) logs nothing: the next full migrate does.
    with contextlib.suppress(DatabaseError):
        log_backfill()
