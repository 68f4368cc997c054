"""Who runs the site, as its footer says: the executive body, contact details and the filing numbers.

Staff edit one row in the admin ("站点信息"); the settings give the defaults until they do. A line whose
value is empty is not shown (a site without an ICP filing number shows none rather than a blank).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# Kept in the process for a minute (not in the shared cache, whose keys the register's tests count):
# an edit shows at once in the process that saved it and within a minute in the others.
_TTL_SECONDS = 60
_memo: dict[str, Any] = {}


class SiteIdentity(models.Model):
    """A single row (pk 1): the executive body's public identity."""

    executive_body = models.CharField(_("执行机构名称"), max_length=200, blank=True,
                                      help_text=_("留空则使用默认值：中国互联网协会。"))
    executive_body_en = models.CharField(_("执行机构英文名称"), max_length=200, blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    icp_filing = models.CharField(_("ICP 备案号"), max_length=100, blank=True, help_text=_("例如：京ICP备XXXXXXXX号"))
    psb_filing = models.CharField(_("公安机关备案号"), max_length=100, blank=True,
                                  help_text=_("例如：京公网安备 XXXXXXXXXXXXXX 号"))
    psb_filing_code = models.CharField(_("公安备案编号（链接用）"), max_length=40, blank=True,
                                       help_text=_("填写后备案号链接到全国互联网安全管理服务平台的查询页面。"))

    class Meta:
        app_label = "members"
        verbose_name = _("站点信息")
        verbose_name_plural = _("站点信息")

    def __str__(self) -> str:
        return str(_("站点信息"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1  # one row only
        super().save(*args, **kwargs)


def site_identity() -> dict[str, str]:
    """The footer's values: the admin's row over the settings' defaults, cached until the row changes."""
    values: dict[str, str] | None = _memo.get("values")
    if values is None or _memo.get("until", 0) < time.monotonic():
        values = {
            "executive_body": settings.REGISTRY_EXECUTIVE_BODY,
            "executive_body_en": settings.REGISTRY_EXECUTIVE_BODY_EN,
            "address": settings.REGISTRY_CONTACT_ADDRESS,
            "phone": settings.REGISTRY_CONTACT_PHONE,
            "email": settings.REGISTRY_CONTACT_EMAIL,
            "icp_filing": settings.REGISTRY_ICP_FILING,
            "psb_filing": settings.REGISTRY_PSB_FILING,
            "psb_filing_code": "",
        }
        row = SiteIdentity.objects.filter(pk=1).values().first()
        for key, value in (row or {}).items():
            if key in values and value:
                values[key] = str(value)
        _memo.update(values=values, until=time.monotonic() + _TTL_SECONDS)
    return values


def context(request: HttpRequest) -> dict[str, Any]:
    return {"site_identity": site_identity()}


def _forget(**kwargs: Any) -> None:
    from .conditional import forget_shells

    _memo.clear()
    forget_shells()  # the footer is in the page shells this process keeps


post_save.connect(_forget, sender=SiteIdentity, dispatch_uid="members.site_identity.forget")
