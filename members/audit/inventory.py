"""Inventory of personal data (PIPL Art 13/19, convention Art 8): every personal field, why it is
kept, on what basis and for how long. PERSONAL_DATA.md is the prose version for people.

Models of other apps (complaints' reporters, ...) add their entries to ``INVENTORY`` here; a test
checks that every field the audit log masks as personal is listed and that every listed field exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalField:
    model: str  # app_label.model_name
    field: str
    purpose: str
    basis: str
    retention: str
    public: bool = False


INVENTORY: list[PersonalField] = [
    PersonalField("members.organisation", "contact_name", "执行机构联系签署单位（审核、通知、投诉处理）",
                  "履行公约所必需（PIPL 第十三条第一款第二项）",
                  "成员资格存续期间；退出或被取消后 RETENTION_FORMER_MEMBER_CONTACT_DAYS 天匿名化"),
    PersonalField("members.organisation", "contact_phone", "同上", "同上", "同上"),
    PersonalField("members.organisation", "contact_email", "同上", "同上", "同上"),
    PersonalField("auth.user", "email", "代表账户登录与接收通知", "履行公约所必需", "账户存续期间；注销即删除"),
    PersonalField("auth.user", "username", "登录名（与邮箱相同）", "履行公约所必需", "账户存续期间"),
    PersonalField("auth.user", "first_name", "未使用（保持为空）", "—", "—"),
    PersonalField("auth.user", "last_name", "未使用（保持为空）", "—", "—"),
    PersonalField("auth.user", "password", "登录（仅存哈希）", "安全保障义务", "账户存续期间"),
    PersonalField("members.invitation", "email", "邀请同事成为单位代表", "单位代表的请求", "接受或撤销后随单位记录保存"),
    PersonalField("members.invitation", "token", "邀请链接（秘密，非个人信息）", "安全保障义务", "同上"),
    PersonalField("members.document", "file", "营业执照、签署页、退出函（可能含签字人姓名、印章）",
                  "公约第二十三、二十五条", "被替换后 RETENTION_SUPERSEDED_DOCUMENT_DAYS 天删除；有效文件随成员记录保存"),
    PersonalField("members.withdrawalnotice", "reason", "退出理由（不公开）", "公约第二十五条", "随成员记录保存"),
    PersonalField("members.feedback", "body", "成员意见（可能含个人信息）", "公约第十五条", "随成员记录保存"),
    PersonalField("otp_totp.totpdevice", "key", "工作人员双重认证密钥（秘密）", "安全保障义务（PIPL 第五十一条）",
                  "设备删除即删除"),
    PersonalField("otp_static.statictoken", "token", "工作人员备用码（秘密，每个只能用一次）", "安全保障义务",
                  "使用、重新生成或重置设备即删除"),
    PersonalField("audit.apitoken", "key_hash", "API 令牌的摘要（秘密，非个人信息；令牌本身不保存）", "安全保障义务",
                  "随账户删除；到期或撤销后不可使用"),
    PersonalField("axes.accessattempt", "username", "登录失败锁定（账户名）", "安全保障义务",
                  "RETENTION_LOGIN_ATTEMPT_DAYS 天"),
    PersonalField("axes.accessattempt", "ip_address", "登录失败锁定（IP 地址）", "安全保障义务",
                  "RETENTION_LOGIN_ATTEMPT_DAYS 天"),
    PersonalField("axes.accesslog", "username", "登录记录（账户名）", "安全保障义务", "RETENTION_LOGIN_ATTEMPT_DAYS 天"),
    PersonalField("axes.accesslog", "ip_address", "登录记录（IP 地址）", "安全保障义务", "RETENTION_LOGIN_ATTEMPT_DAYS 天"),
    PersonalField("axes.accessfailurelog", "username", "登录失败记录（账户名）", "安全保障义务",
                  "RETENTION_LOGIN_ATTEMPT_DAYS 天"),
    PersonalField("axes.accessfailurelog", "ip_address", "登录失败记录（IP 地址）", "安全保障义务",
                  "RETENTION_LOGIN_ATTEMPT_DAYS 天"),
    PersonalField("account.emailaddress", "email", "代表账户的邮箱及其验证状态（allauth）", "履行公约所必需",
                  "账户存续期间"),
    PersonalField("account.emailconfirmation", "key", "邮箱验证链接（秘密，非个人信息）", "安全保障义务",
                  "验证后失效"),
    PersonalField("complaints.complaint", "reporter_name", "向实名举报人反馈查证结果（可匿名举报）",
                  "举报人同意（PIPL 第十三条第一款第一项）", "结案后按投诉模块的删除任务清除（reporter_purged_at）"),
    PersonalField("complaints.complaint", "reporter_email", "同上", "同上", "同上"),
    PersonalField("complaints.complaint", "reporter_phone", "同上", "同上", "同上"),
    PersonalField("publications.publication", "claim_token", "生成任务的认领标记（秘密，非个人信息）", "—",
                  "随公报记录保存"),
    PersonalField("audit.auditentry", "actor_name", "审计：谁做了修改（工作人员或代表账户名）",
                  "安全保障义务、公约第八条问责", "永久（只追加）；修改内容中的个人信息已遮蔽"),
    PersonalField("members.siteidentity", "address", "执行机构对外公布的联系方式（页脚，非个人信息）", "公开信息",
                  "由工作人员维护"),
    PersonalField("members.siteidentity", "phone", "同上", "同上", "同上"),
    PersonalField("members.siteidentity", "email", "同上", "同上", "同上"),
    PersonalField("audit.auditentry", "ip", "审计：请求来源地址", "安全保障义务", "永久（只追加）"),
]


def fields_of(model_label: str) -> set[str]:
    return {entry.field for entry in INVENTORY if entry.model == model_label}
