"""The public log's storage: entries in order, the complete Merkle subtrees, and the append lock.

``LogEntry.body`` holds the entry's canonical bytes exactly (see ``canonical``); ``leaf_hash`` is
SHA-256(0x00 || body). ``LogNode`` keeps every complete subtree's hash (level 0 = the leaves) so a head
or proof at any size reads O(log n) rows. Both are append-only; ``LogState`` is the one row that
serialises appends (locked with SELECT ... FOR UPDATE) and counts the entries.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.core.models import AppendOnlyModel


class LogState(models.Model):
    size = models.PositiveBigIntegerField(_("条目数"), default=0)

    class Meta:
        verbose_name = _("公开日志状态")
        verbose_name_plural = _("公开日志状态")

    def __str__(self) -> str:
        return str(self.size)


class LogEntry(AppendOnlyModel):
    index = models.PositiveBigIntegerField(_("序号"), unique=True)
    kind = models.CharField(_("类型"), max_length=32, db_index=True)
    # "<kind>:<source row id>": which public fact this entry records (one entry per fact).
    source = models.CharField(_("来源"), max_length=64, unique=True)
    organisation_id = models.BigIntegerField(_("单位"), null=True, blank=True, db_index=True)
    body = models.TextField(_("规范形式"))
    leaf_hash = models.CharField(_("叶哈希"), max_length=64)
    logged_at = models.DateTimeField(_("记入时间"), db_index=True)

    class Meta:
        verbose_name = _("公开日志条目")
        verbose_name_plural = _("公开日志条目")
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"


class LogNode(AppendOnlyModel):
    level = models.PositiveSmallIntegerField()
    position = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("公开日志节点")
        verbose_name_plural = _("公开日志节点")
        constraints = [models.UniqueConstraint(fields=["level", "position"], name="one_log_node_per_place")]

    def __str__(self) -> str:
        return f"{self.level}/{self.position}"


class BulletinHead(AppendOnlyModel):
    """The log head a bulletin prints: the log as of its period's end (``bulletins``), recorded at the
    first render so every re-render prints the same (bulletins first rendered before that rule keep
    the head of their first render)."""

    publication = models.OneToOneField("publications.Publication", on_delete=models.PROTECT,
                                       related_name="log_head", verbose_name=_("名单公告"))
    size = models.PositiveBigIntegerField(_("日志条目数"))
    root = models.CharField(_("日志根哈希"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公告所载日志树头")
        verbose_name_plural = _("公告所载日志树头")

    def __str__(self) -> str:
        return f"{self.publication_id}: {self.size}"


class MemberCertificate(AppendOnlyModel):
    """A certificate of membership (入约证书), one per membership period, with the public details of its
    issue day: re-downloading it renders the same signed bytes, whose SHA-256 is stored to recognise it."""

    number = models.CharField(_("证书编号"), max_length=24, unique=True)
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT, related_name="certificates",
                                     verbose_name=_("单位"))
    membership = models.OneToOneField("members.Membership", on_delete=models.PROTECT, related_name="certificate",
                                      verbose_name=_("成员资格期间"))
    issued_on = models.DateField(_("颁发日期"))
    details = models.JSONField(_("证书所载公开信息"))
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入约证书")
        verbose_name_plural = _("入约证书")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number
