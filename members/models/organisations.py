"""Organisations, their membership periods and the append-only membership event log.

Status columns on ``Organisation`` are a projection of ``MembershipEvent`` kept for fast lists; only
``members.services`` writes either, always both in one transaction, and
``selectors.registry_inconsistencies`` recomputes the projection from the events to prove they agree.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.core.i18n import list_separator
from members.core.models import AppendOnlyModel, AppendOnlyQuerySet

from .. import uscc as uscc_rules
from ..regions import REGIONS
from ..sorting import MAX_LENGTH as MAX_SORT_KEY
from ..sorting import name_sort_key


class Role(models.TextChoices):
    DEVELOPER = "developer", _("开发商")
    DISTRIBUTOR = "distributor", _("分发商")
    OPERATOR = "operator", _("运维商")
    OTHER = "other", _("其他服务提供者")


ROLE_ORDER = [r.value for r in Role]


def roles_to_text(roles: list[str] | tuple[str, ...] | set[str]) -> str:
    """Canonical storage form: known role codes in a fixed order, comma-separated."""
    unknown = set(roles) - set(ROLE_ORDER)
    if unknown:
        raise ValidationError(_("未知角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))})
    return ",".join(r for r in ROLE_ORDER if r in roles)


class MembershipStatus(models.TextChoices):
    NONE = "none", _("尚未签署")
    SIGNATORY = "signatory", _("现签署成员")
    WITHDRAWN = "withdrawn", _("已退出")
    REVOKED = "revoked", _("已取消成员资格")


class Organisation(models.Model):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    # Pinyin order of ``name`` (members.sorting); written by ``save`` so every path that names keeps it true.
    name_sort = models.CharField(_("名称排序键"), max_length=MAX_SORT_KEY, editable=False, default="")
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    roles = models.CharField(_("角色"), max_length=64, help_text=_("开发商、分发商、运维商、其他服务提供者，可多选"))
    region = models.CharField(_("所在省级行政区"), max_length=6, choices=REGIONS)
    website = models.URLField(_("网站"), blank=True)
    # Private (Art 8, PIPL): never on a public page, export, feed or API answer.
    contact_name = models.CharField(_("联系人"), max_length=100, blank=True)
    contact_phone = models.CharField(
        _("联系电话"), max_length=40, blank=True,
        validators=[RegexValidator(r"^\+?[0-9(][0-9 ()\-]{4,30}(\s*(转|ext\.?|x)\s*[0-9]{1,6})?$",
                                   _("请填写有效的电话号码，例如 010-12345678 或 13800000000。"))],
    )
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    uscc_check_waived = models.BooleanField(_("代码校验豁免"), default=False)
    uscc_waiver_reason = models.TextField(_("豁免理由"), blank=True)
    uscc_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("豁免人"),
    )
    # Projection of the event log (see module docstring).
    status = models.CharField(
        _("成员状态"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.NONE, db_index=True
    )
    joined_on = models.DateField(_("加入日期"), null=True, blank=True, db_index=True)
    left_on = models.DateField(_("退出/取消日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc_check_waived=False) | ~Q(uscc_waiver_reason=""), name="uscc_waiver_needs_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "joined_on"]), models.Index(fields=["region", "status"]),
                   # The public register filtered by status and sorted by name (keyset pages), see 0002.
                   models.Index(fields=["status", "name", "id"], name="org_status_name_id_idx"),
                   # Keyset pages of the register and API cursors in pinyin order, see 0004.
                   models.Index(fields=["status", "name_sort", "id"], name="org_status_namesort_id_idx"),
                   models.Index(fields=["name_sort", "id"], name="org_namesort_id_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.public_uscc}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_sort = name_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort"}
        super().save(*args, **kwargs)

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    def get_roles_display(self) -> str:
        labels = dict(Role.choices)
        return list_separator().join(str(labels[r]) for r in self.role_list if r in labels)

    @property
    def public_uscc(self) -> str:
        return uscc_rules.mask(self.uscc)

    @property
    def is_signatory(self) -> bool:
        return self.status == MembershipStatus.SIGNATORY

    def clean(self) -> None:
        self.uscc = uscc_rules.normalise(self.uscc)
        result = uscc_rules.check(self.uscc)
        if not result.valid and not self.uscc_check_waived:
            raise ValidationError({"uscc": list(result.errors)})
        if self.uscc_check_waived and not self.uscc_waiver_reason.strip():
            raise ValidationError({"uscc_waiver_reason": _("接受未通过校验的代码必须记录理由。")})


class Membership(models.Model):
    """One period of membership: from the approval day to withdrawal or revocation.

    ``ended_on`` may lie in the future (a withdrawal acknowledged for the date the member asked for):
    the period is then known to end, and the organisation stays a signatory until that day.
    """

    class EndKind(models.TextChoices):
        WITHDRAWN = "withdrawn", _("退出")
        REVOKED = "revoked", _("取消成员资格")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships",
                                     verbose_name=_("单位"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_kind = models.CharField(_("结束方式"), max_length=16, choices=EndKind.choices, blank=True)

    class Meta:
        verbose_name = _("成员资格期间")
        verbose_name_plural = _("成员资格期间")
        ordering = ["organisation_id", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(ended_on__isnull=True), name="one_open_membership_per_org"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_kind=""))
                | (Q(ended_on__isnull=False) & ~Q(end_kind="")),
                name="membership_end_kind_with_end",
            ),
        ]
        indexes = [models.Index(fields=["started_on", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.started_on} – {self.ended_on or '…'}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class MembershipEventQuerySet(AppendOnlyQuerySet):
    def in_force(self) -> MembershipEventQuerySet:
        """Events no later event supersedes: what status, periods and bulletins are derived from."""
        return self.filter(superseded_by__isnull=True)


class MembershipEvent(AppendOnlyModel):
    """What happened to a membership, with who, when, on what legal basis and why.

    A scheduled end that has not yet taken effect can be superseded by an earlier revocation (Art 21
    over Art 25): the revocation event names it in ``supersedes``; the withdrawal row stays as it was.
    """

    objects = MembershipEventQuerySet.as_manager()  # type: ignore[misc]  # the base's manager, with in_force()

    class Kind(models.TextChoices):
        JOINED = "joined", _("加入")
        WITHDREW = "withdrew", _("退出")
        REVOKED = "revoked", _("取消成员资格")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events",
                                     verbose_name=_("单位"))
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="events",
                                   verbose_name=_("成员资格期间"))
    kind = models.CharField(_("事件"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("生效日期"), db_index=True)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    legal_basis = models.CharField(_("依据条款"), max_length=64)
    reason = models.TextField(_("理由"), blank=True)  # free text, or the coded reason's default-language text
    reason_code = models.CharField(_("理由代码"), max_length=64, blank=True)
    reason_params = models.JSONField(_("理由参数"), default=dict, blank=True)
    document_sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    public_notice = models.TextField(
        _("向社会通报内容"), blank=True, help_text=_("取消成员资格并向社会通报时公开的事由")
    )
    # A start records who verified the sealed signature page (Art 23) and when; internal, never public.
    sealed_page_verified_at = models.DateTimeField(_("签署页核验时间"), null=True, blank=True)
    sealed_page_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("签署页核验人"),
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by",
        verbose_name=_("取代的事件"), help_text=_("本事件取代的、尚未生效的结束事件（如已安排的退出）"),
    )

    class Meta:
        verbose_name = _("成员资格事件")
        verbose_name_plural = _("成员资格事件")
        ordering = ["effective_date", "id"]
        indexes = [models.Index(fields=["organisation", "effective_date", "id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"

    @property
    def reason_text(self) -> str:
        from members.core.texts import shown

        return shown(self.reason_code, self.reason_params, self.reason)
