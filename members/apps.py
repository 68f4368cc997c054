from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("成员登记")

    def ready(self) -> None:
        from . import groups, permissions, site

        groups.declare(permissions)
        groups.connect()
        site.connect()
