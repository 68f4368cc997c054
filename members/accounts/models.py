"""One row of preferences per account; imported by ``members.models`` (registers the model in this app)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference",
                                verbose_name=_("账户"))
    # The language of the portal and of every e-mail the account receives.
    language = models.CharField(_("语言"), max_length=16, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("账户偏好")
        verbose_name_plural = _("账户偏好")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_language_display()}"
