from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "members.audit"
    label = "audit"
    verbose_name = _("审计与安全")

    def ready(self) -> None:
        from members.core.policy import register
        from members.groups import COMPLAINT_OFFICER, GROUP_PERMISSIONS, PUBLISHER, REVIEWER

        from . import permissions, signals
        from .twofactor.views import register_method

        register(permissions.RULES)
        signals.connect()
        register_method()
        # Every staff role may read the (masked) audit log; nobody may change it.
        for group in (REVIEWER, COMPLAINT_OFFICER, PUBLISHER):
            if "audit.view_auditentry" not in GROUP_PERMISSIONS.setdefault(group, []):
                GROUP_PERMISSIONS[group].append("audit.view_auditentry")
