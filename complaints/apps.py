from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("举报、处理与调解")

    def ready(self) -> None:
        from members.groups import declare

        from . import permissions

        declare(permissions)

        from members.core import seeds

        seeds.declare(_schedules)


def _schedules() -> None:
    from members.core.seeds import periodic_task

    periodic_task("complaints: flag overdue correction orders", "complaints.tasks.correction_orders_flag_overdue",
                  crontab="10 1 * * *")
    periodic_task("complaints: erase reporters' contact details after retention",
                  "complaints.tasks.reporter_contacts_purge", crontab="20 2 * * *")
