from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionConfig(AppConfig):
    name = "convention"
    verbose_name = _("公约文本与修订")

    def ready(self) -> None:
        from members.groups import declare

        from .amendments import permissions

        declare(permissions)
        from .amendments import receivers

        receivers.connect()

        from .transparency import register_kinds

        register_kinds()
