"""Periodic published lists (Art 25): numbered bulletins rendered from the membership event log.

A ``Publication`` moves queued → rendering → published | failed (``PUBLICATION_TRANSITIONS``); only
``services`` moves it. A published bulletin never changes: its files are ``PublicationFile`` rows
(append-only) written in the same transaction that marks it published. A correction is a new bulletin
for the same period that names the one it corrects.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.core.models import AppendOnlyModel
from members.core.transitions import Machine


class PublicationState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RENDERING = "rendering", _("生成中")
    PUBLISHED = "published", _("已发布")
    FAILED = "failed", _("生成失败")


# action -> {from state: to state}; checked in one place (members.core.transitions, PUBLICATION_MACHINE).
PUBLICATION_TRANSITIONS: dict[str, dict[str, str]] = {
    "claim": {PublicationState.QUEUED: PublicationState.RENDERING, PublicationState.FAILED: PublicationState.RENDERING},
    # A claim whose worker died (killed, time limit) is taken over once it is older than the hard limit.
    "reclaim": {PublicationState.RENDERING: PublicationState.RENDERING},
    "publish": {PublicationState.RENDERING: PublicationState.PUBLISHED},
    "fail": {PublicationState.RENDERING: PublicationState.FAILED},
    # Back in the queue: a transient failure (by the service), or staff (from any stuck state; a
    # rendering claim only once stale, see services.publication_requeue).
    "retry": {PublicationState.RENDERING: PublicationState.QUEUED},
    "requeue": {PublicationState.FAILED: PublicationState.QUEUED, PublicationState.QUEUED: PublicationState.QUEUED,
                PublicationState.RENDERING: PublicationState.QUEUED},
}
# No event table: the row's own columns (claimed_at, attempts, error, published_at) are the record.
PUBLICATION_MACHINE = Machine("publication", PUBLICATION_TRANSITIONS,
                              refused=_("名单公告当前为“%(state)s”，不能执行该操作。"))


class Publication(models.Model):
    number = models.PositiveIntegerField(_("期号"), unique=True)
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction",
        verbose_name=_("更正的公告"),
    )
    state = models.CharField(_("状态"), max_length=16, choices=PublicationState.choices,
                             default=PublicationState.QUEUED, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("发起人"))
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("开始生成时间"), null=True, blank=True)
    # When it last entered the queue: the sweep sends it again if no worker has claimed it since.
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("生成次数"), default=0)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("PDF页数"), null=True, blank=True)
    error = models.TextField(_("失败原因（内部）"), blank=True)

    class Meta:
        verbose_name = _("名单公告")
        verbose_name_plural = _("名单公告")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end"], condition=Q(corrects__isnull=True),
                                    name="one_publication_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="publication_period_ends_after_start"),
            models.CheckConstraint(condition=~Q(state="published") | Q(published_at__isnull=False),
                                   name="published_publication_has_time"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}期 {self.period_label}"

    @property
    def period_label(self) -> str:
        start, end = self.period_start, self.period_end
        if start.day == 1 and (start.year, start.month) == (end.year, end.month):
            return f"{start:%Y-%m}"
        return f"{start.isoformat()}—{end.isoformat()}"

    @property
    def is_published(self) -> bool:
        return self.state == PublicationState.PUBLISHED

    @property
    def file_stem(self) -> str:
        return f"bulletin-{self.number:04d}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"


class PublicationFile(AppendOnlyModel):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files",
                                    verbose_name=_("名单公告"))
    kind = models.CharField(_("格式"), max_length=8, choices=Kind.choices)
    path = models.CharField(_("相对路径"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))

    class Meta:
        verbose_name = _("公告文件")
        verbose_name_plural = _("公告文件")
        ordering = ["publication_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "kind"], name="one_file_per_kind_per_publication"),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
                "json": "application/json"}[self.kind]
