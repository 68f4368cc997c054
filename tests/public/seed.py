"""A small register with every kind of history and recognisable private values (for privacy checks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from members.models import Organisation
from tests.factories import OrganisationFactory, make_signatory, revoke, valid_uscc, withdraw


@dataclass
class Register:
    current: Organisation  # signatory since 2024-03-01
    rejoined: Organisation  # joined 2023-01-10, withdrew 2023-06-30, rejoined 2024-01-05
    withdrawn: Organisation  # joined 2023-02-01, withdrew 2024-02-01
    revoked: Organisation  # joined 2023-03-01, revoked 2024-05-20 with a public notice
    individual: Organisation  # an individual business (USCC 92...), signatory
    applicant: Organisation  # never a signatory: not public at all
    private_values: list[str] = field(default_factory=list)


PUBLIC_NOTICE = "该单位违反公约第十一条，经查证核实，取消其成员资格。"
PRIVATE_REASON = "内部审核备注：不公开的理由"


def seed_register() -> Register:
    current = _org(name="北京云端政务科技有限公司", name_en="Beijing Cloud Gov Tech Co., Ltd.",
                                  roles="developer,operator", region="110000", contact_name="张保密",
                                  contact_phone="13911112222", contact_email="zhang.secret@private.example.org")
    rejoined = _org(name="上海数字分发有限公司", name_en="Shanghai Digital Distribution Ltd.",
                                   roles="distributor", region="310000", contact_name="李保密",
                                   contact_phone="13933334444", contact_email="li.secret@private.example.org")
    withdrawn = _org(name="广州运维服务有限公司", name_en="Guangzhou Ops Services Ltd.",
                                    roles="operator", region="440000", contact_name="王保密",
                                    contact_phone="13955556666", contact_email="wang.secret@private.example.org")
    revoked = _org(name="深圳违约应用有限公司", name_en="Shenzhen Breach Apps Ltd.",
                                  roles="developer", region="440000", contact_name="赵保密",
                                  contact_phone="13977778888", contact_email="zhao.secret@private.example.org")
    individual = _org(uscc=valid_uscc(prefix="92", division="330106"), name="杭州个体小程序工作室",
                                      name_en="Hangzhou Mini Program Studio", roles="other", region="330000",
                                      contact_name="钱保密", contact_phone="13999990000",
                                      contact_email="qian.secret@private.example.org")
    applicant = _org(name="尚未签署申请中有限公司", name_en="Pending Applicant Ltd.",
                                    contact_name="孙保密", contact_phone="13900001111",
                                    contact_email="sun.secret@private.example.org")

    make_signatory(current, on=date(2024, 3, 1), reason=PRIVATE_REASON)
    make_signatory(rejoined, on=date(2023, 1, 10), reason=PRIVATE_REASON)
    _withdraw(rejoined, date(2023, 6, 30))
    make_signatory(rejoined, on=date(2024, 1, 5), reason=PRIVATE_REASON)
    make_signatory(withdrawn, on=date(2023, 2, 1), reason=PRIVATE_REASON)
    _withdraw(withdrawn, date(2024, 2, 1))
    make_signatory(revoked, on=date(2023, 3, 1), reason=PRIVATE_REASON)
    revoke(revoked, date(2024, 5, 20), reason=PRIVATE_REASON, public_notice=PUBLIC_NOTICE)
    make_signatory(individual, on=date(2024, 4, 2), reason=PRIVATE_REASON)

    orgs = [current, rejoined, withdrawn, revoked, individual, applicant]
    for org in orgs:
        org.refresh_from_db()
    private: list[str] = [PRIVATE_REASON, individual.uscc, applicant.name, applicant.uscc]
    for org in orgs:
        private += [org.contact_name, org.contact_phone, org.contact_email]
    return Register(current, rejoined, withdrawn, revoked, individual, applicant, private)


def _org(**kwargs: object) -> Organisation:
    return OrganisationFactory.create(**kwargs)


def _withdraw(org: Organisation, on: date) -> None:
    withdraw(org, on, reason=PRIVATE_REASON, requested_date=on)
