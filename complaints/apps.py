from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("举报、处理与调解")

    def ready(self) -> None:
        from members.groups import declare

        from . import permissions

        declare(permissions)
