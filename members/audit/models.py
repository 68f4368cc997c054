"""The audit log and the outbox of queued tasks."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.core.models import AppendOnlyModel


class AuditEntry(AppendOnlyModel):
    """Who changed what, when, with the values before and after (personal fields masked).

    Written once, never changed or deleted. The actor is kept as plain values, not a foreign key, so
    that deleting an account neither changes nor blocks its history.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        OTHER = "other", _("其他操作")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_is_staff = models.BooleanField(_("工作人员"), default=False)
    action = models.CharField(_("操作"), max_length=32, db_index=True)
    model = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    changed = models.JSONField(_("变更字段"), default=list, blank=True)
    source = models.CharField(_("来源"), max_length=32, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    # The API token (members.audit.tokens.ApiToken id) the request authenticated with, if any.
    token_id = models.BigIntegerField(_("API 令牌编号"), null=True, blank=True, db_index=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.model}#{self.object_id}"


class QueuedTask(models.Model):
    """The intent to run a Celery task, written in the caller's transaction (transactional outbox).

    Sent once the transaction commits; when the broker is down it stays unsent and the sweeper sends it
    again, so no queued job is lost. Tasks are idempotent, so a second delivery does no harm.
    """

    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


from .tokens.models import ApiToken  # noqa: E402,F401 - the token model belongs to this app
