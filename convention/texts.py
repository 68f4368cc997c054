"""Amendment texts stored as codes (members.core.texts)."""

from django.utils.translation import gettext_lazy as _

from members.core.texts import register

register({
    "amendment_sponsoring.subject": _("有修订提议正在征集联署"),
    "amendment_sponsoring.body": _("“%(title)s”正在征集签署成员联署（需至少十分之一的签署成员）。"),
    "amendment_qualified.subject": _("修订提议已符合提议条件"),
    "amendment_qualified.body": _("“%(title)s”已获得 %(s)s 家签署成员联署（签署成员共 %(n)s 家），等待执行机构发起表决。"),
    "ballot_opened.subject": _("修订表决已开始"),
    "ballot_opened.body": _("请于 %(deadline)s 前对“%(title)s”投票（同意 / 反对 / 弃权）。"),
    "ballot_adopted.subject": _("修订提议已通过"),
    "ballot_rejected.subject": _("修订提议未通过"),
    "ballot_closed.body": _("“%(title)s”表决结束：同意 %(y)s，表决成员 %(n)s，通过需同意 %(t)s。"),
})
