"""Representatives of an organisation, invitations, notifications and feedback.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class Representative(models.Model):
    """An account acting for one organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representative",
                                verbose_name=_("账户"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="representatives",
                                     verbose_name=_("单位"))
    is_primary = models.BooleanField(_("首位代表"), default=False)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位代表")
        verbose_name_plural = _("单位代表")

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation.name}"


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations",
                                     verbose_name=_("单位"))
    email = models.EmailField(_("邮箱"))
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    # Set once the mail server accepted the invitation e-mail; the outbox sweep re-sends the others.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("同事邀请")
        verbose_name_plural = _("同事邀请")

    def __str__(self) -> str:
        return self.email


class Notification(models.Model):
    """A message to an organisation's representatives: listed in the portal and e-mailed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notifications",
                                     verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=48)
    # The texts as written in the default language; with a code, each reader sees them in their own
    # language (members.core.texts). Without one (free text, or rows older than codes) they are shown as is.
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    subject_code = models.CharField(_("标题代码"), max_length=64, blank=True)
    body_code = models.CharField(_("内容代码"), max_length=64, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    # The worker currently sending the e-mail (members.tasks.notification_email): set by a conditional
    # update, so only one worker sends at a time; a claim never confirmed goes stale and is taken over.
    send_claim = models.CharField(max_length=32, blank=True, editable=False)
    send_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject_text

    @property
    def subject_text(self) -> str:
        from members.core.texts import shown

        return shown(self.subject_code, self.params, self.subject)

    @property
    def body_text(self) -> str:
        from members.core.texts import shown

        return shown(self.body_code, self.params, self.body)


class Feedback(models.Model):
    """Art 15: what members tell the executive body to improve."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="feedback",
                                     verbose_name=_("单位"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("提交人"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
