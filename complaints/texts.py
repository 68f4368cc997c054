"""Complaint, correction and dispute texts stored as codes (members.core.texts)."""

from django.utils.translation import gettext_lazy as _

from members.core.texts import register

from .models import DisputeState

register({
    "correction_order.subject": _("整改通知"),
    "correction_order.body": _("执行机构要求贵单位于 %(d)s 前完成整改并在单位工作台提交整改报告。"),
    "correction_accepted.subject": _("整改报告已认可"),
    "correction_accepted.body": _("执行机构已认可贵单位的整改报告。"),
    "correction_escalated.subject": _("整改未获认可，案件升级处理"),
    "correction_overdue.subject": _("整改已逾期"),
    "correction_overdue.body": _("整改期限 %(d)s 已过，请尽快提交整改报告。"),
    "mediation_requested.subject": _("收到调解申请"),
    "mediation_requested.body": _("%(org)s 就“%(subject)s”向执行机构申请调解。"),
    "mediation_started.subject": _("调解已开始"),
    "mediation_started.body": _("执行机构已受理调解申请。"),
    "mediation_ended.subject": _("调解结束：%(s)s"),
    "complaint.correction_deadline": _("整改期限 %(d)s"),
    # The outcome named in "mediation_ended.subject".
    **{f"dispute_state.{state.value}": state.label for state in DisputeState},
})
