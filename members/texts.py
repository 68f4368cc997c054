"""The register's stored texts as codes (members.core.texts): notifications and event comments."""

from django.utils.translation import gettext_lazy as _

from members.core.texts import register

register({
    # Notifications: "<kind>.subject" / "<kind>.body".
    "application_received.subject": _("入约申请已收到"),
    "application_received.body": _("我们已收到贵单位的入约申请，将尽快审核。"),
    "application_returned.subject": _("入约申请被退回修改"),
    "application_returned.body": _("审核意见：%(comment)s"),
    "application_rejected.subject": _("入约申请未获批准"),
    "application_rejected.body": _("理由：%(comment)s"),
    "application_approved.subject": _("入约申请已批准"),
    "application_approved.body": _("贵单位自 %(date)s 起成为公约签署成员。"),
    "membership_revoked.subject": _("成员资格已被取消"),
    "withdrawal_filed.subject": _("退出通知已提交"),
    "withdrawal_filed.body": _("执行机构确认后，退出自确认的日期起生效。"),
    "withdrawal_acknowledged.subject": _("退出通知已确认"),
    "withdrawal_acknowledged.body": _("贵单位自 %(date)s 起退出公约。"),
    "withdrawal_scheduled.subject": _("退出已安排"),
    "withdrawal_scheduled.body": _("在 %(date)s 之前，贵单位仍是公约签署成员。"),
    # Event comments and reasons written by the system.
    "application.reapply": _("重新申请"),
    "application.approved": _("入约申请已批准"),
    "membership.started": _("成员资格开始"),
    "membership.revoked": _("成员资格已被取消"),
    "withdrawal.acknowledged": _("退出通知已确认"),
    "withdrawal.superseded": _("成员资格已于 %(date)s 被取消，已安排的退出不再生效。"),
    "details.staff_change": _("执行机构变更单位公开信息"),
    # A time in the domain's zone (members.core.localtime).
    "time.local": _("%(time)s（北京时间）"),
})
