from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "members.publications"
    label = "publications"
    verbose_name = _("成员名单公布")

    def ready(self) -> None:
        from members.groups import declare

        from . import permissions

        declare(permissions)
