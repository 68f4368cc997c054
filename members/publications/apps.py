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

        from .health import check_pdf_fonts, check_pdf_fonts_deploy

        checks.register(check_pdf_fonts, "publications")
        checks.register(check_pdf_fonts_deploy, "publications", deploy=True)
