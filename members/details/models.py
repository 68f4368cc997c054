"""One row per version of an organisation's public details; append-only, imported by ``members.models``.

A version is valid from ``valid_from`` until the next version's ``valid_from``. Two versions on the same
day: the later row (higher id) wins. Only ``members.details.services`` writes these rows.

A correction (a published version was wrong, e.g. a typo in the name) is a new row with the same
``valid_from`` that names the version it corrects in ``corrects``: it wins over the original for the
same days, the original row stays as it was, superseded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.core.models import AppendOnlyModel
from members.models import Organisation


class OrganisationDetails(AppendOnlyModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="details_versions",
                                     verbose_name=_("单位"))
    valid_from = models.DateField(_("生效日期"))
    name = models.CharField(_("单位名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    roles = models.CharField(_("角色"), max_length=64)
    region = models.CharField(_("所在省级行政区"), max_length=6)
    # The public form of the code (masked for individual businesses, prefix 92): never the full code.
    uscc_public = models.CharField(_("统一社会信用代码（公开形式）"), max_length=18)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction", verbose_name=_("更正的版本"))
    reason = models.TextField(_("说明"), blank=True)  # free text, or the coded reason's default-language text
    reason_code = models.CharField(_("说明代码"), max_length=64, blank=True)
    reason_params = models.JSONField(_("说明参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("单位公开信息版本")
        verbose_name_plural = _("单位公开信息版本")
        ordering = ["organisation_id", "valid_from", "id"]
        indexes = [models.Index(fields=["organisation", "valid_from", "id"], name="org_details_valid_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from})"

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def reason_text(self) -> str:
        from members.core.texts import shown

        return shown(self.reason_code, self.reason_params, self.reason)

    def get_roles_display(self) -> str:
        from .selectors import PublicDetails

        return PublicDetails(self.name, self.name_en, self.roles, self.region, self.uscc_public).get_roles_display()

    @property
    def region_name(self) -> str:
        from members.regions import REGIONS

        return str(dict(REGIONS).get(self.region, self.region))
