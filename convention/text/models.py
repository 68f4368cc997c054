"""The convention's text, version by version and article by article. Amendments (Art 24) build on these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from convention.text.parse import article_label


class ConventionVersion(models.Model):
    number = models.PositiveIntegerField(_("版本号"), unique=True)
    title = models.CharField(_("标题"), max_length=200)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True,
                                      help_text=_("由执行机构公布；未填写表示尚未公布生效日期"))
    adopted_note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公约版本")
        verbose_name_plural = _("公约版本")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class Article(models.Model):
    version = models.ForeignKey(ConventionVersion, on_delete=models.CASCADE, related_name="articles",
                                verbose_name=_("版本"))
    number = models.PositiveIntegerField(_("条号"))
    chapter_number = models.PositiveIntegerField(_("章号"))
    chapter_title = models.CharField(_("章标题"), max_length=100)
    text = models.TextField(_("条文"), help_text=_("段落之间以换行分隔"))

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="one_article_number_per_version")]

    def __str__(self) -> str:
        return f"{self.label} {self.text[:20]}"

    @property
    def label(self) -> str:
        return article_label(self.number)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p]
