from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "members.publications"
    label = "publications"
    verbose_name = _("成员名单公布")

    def ready(self) -> None:
        from members.groups import declare

        from . import permissions

        declare(permissions)

        from members.core import seeds

        seeds.declare(_schedule)

        from .health import check_pdf_fonts, check_pdf_fonts_deploy

        checks.register(check_pdf_fonts, "publications")
        checks.register(check_pdf_fonts_deploy, "publications", deploy=True)


def _schedule() -> None:
    from members.core.seeds import periodic_task

    periodic_task("名单公告：创建并生成上一期", "members.publications.tasks.publication_create_due",
                  crontab="0 2 1 * *", kwargs={"months": 1},
                  description="Art 25: periodic published list of units that joined and withdrew.")
