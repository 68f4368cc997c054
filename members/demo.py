"""Deterministic, realistic demo data for the register (used by ``seed_demo`` and the benchmarks)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from . import uscc as uscc_rules
from .models import (
    Membership,
    MembershipEvent,
    MembershipStatus,
    Organisation,
    OrganisationDetails,
    Role,
    roles_to_text,
)
from .regions import REGIONS
from .sorting import name_sort_key

CITY_WORDS = ["华信", "云端", "智政", "数联", "正元", "博通", "天衡", "开源", "星河", "明德", "长风", "海纳",
              "睿智", "通达", "九州", "远景", "中科", "新航", "东方", "金盾", "蓝海", "千帆", "鼎信", "慧通"]
TRADE_WORDS = ["信息技术", "软件", "数字科技", "网络科技", "政务服务", "云计算", "数据服务", "智能科技", "移动互联"]
SUFFIXES = ["有限公司", "股份有限公司", "有限责任公司"]
EN_TRADE = {"信息技术": "Information Technology", "软件": "Software", "数字科技": "Digital Technology",
            "网络科技": "Network Technology", "政务服务": "Government Services", "云计算": "Cloud Computing",
            "数据服务": "Data Services", "智能科技": "Intelligent Technology", "移动互联": "Mobile Internet"}
PINYIN = {"华信": "Huaxin", "云端": "Yunduan", "智政": "Zhizheng", "数联": "Shulian", "正元": "Zhengyuan",
          "博通": "Botong", "天衡": "Tianheng", "开源": "Kaiyuan", "星河": "Xinghe", "明德": "Mingde",
          "长风": "Changfeng", "海纳": "Haina", "睿智": "Ruizhi", "通达": "Tongda", "九州": "Jiuzhou",
          "远景": "Yuanjing", "中科": "Zhongke", "新航": "Xinhang", "东方": "Dongfang", "金盾": "Jindun",
          "蓝海": "Lanhai", "千帆": "Qianfan", "鼎信": "Dingxin", "慧通": "Huitong"}
REGION_SHORT = {code: str(label)[:2] for code, label in REGIONS}


def _body(index: int) -> str:
    """A unique eight-character organisation code body for each index."""
    digits = uscc_rules.ALPHABET
    out = ""
    n = index
    for _ in range(6):
        n, r = divmod(n, len(digits))
        out = digits[r] + out
    return "MA" + out


def blank_pdf(title: str) -> bytes:
    """A small real one-page PDF (made with pikepdf, which the upload check already uses): demo documents
    and tests. Same title, same bytes."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = title
    buf = io.BytesIO()
    pdf.save(buf, static_id=True)
    return buf.getvalue()


@dataclass
class SeedResult:
    organisations: int
    events: int
    signatories: int


def seed_register(n: int, seed: int = 2026, *, today: date | None = None, start_index: int = 0) -> SeedResult:
    """Bulk-create ``n`` organisations with membership histories, keeping projection and events in step.

    Join dates spread over the two years before ``today``; about one in eight withdrew, some of those
    rejoined, and about one in two hundred had membership revoked with a public notice.
    """
    rng = random.Random(seed)
    today = today or timezone.localdate()
    first_day = today - timedelta(days=730)
    now = timezone.now()
    orgs: list[Organisation] = []
    histories: list[list[tuple[str, date]]] = []
    used_names: set[str] = set(Organisation.objects.values_list("name", flat=True))
    for i in range(start_index, start_index + n):
        individual = rng.random() < 0.03
        while True:
            region = rng.choice(REGIONS)[0]
            word, word2 = rng.sample(CITY_WORDS, 2)
            trade, suffix = rng.choice(TRADE_WORDS), rng.choice(SUFFIXES)
            name = f"{REGION_SHORT[region]}{word}{word2}{trade}{'工作室' if individual else suffix}"
            if name not in used_names:
                used_names.add(name)
                break
        prefix = "92" if individual else rng.choice(["91", "91", "91", "91", "12", "52"])
        division = region[:2] + f"{rng.randint(1, 20):02d}" + f"{rng.randint(1, 30):02d}"
        roles = {r.value for r in Role if rng.random() < 0.4} or {Role.DEVELOPER.value}
        orgs.append(Organisation(
            uscc=uscc_rules.make(prefix, division, _body(i)), name=name, name_sort=name_sort_key(name),
            name_en="" if individual else f"{PINYIN[word]} {PINYIN[word2]} {EN_TRADE[trade]} Co., Ltd.",
            roles=roles_to_text(roles), region=region, website="" if individual else f"https://www.example{i}.cn",
            contact_name=f"联系人{i + 1}", contact_phone=f"010-{6000_0000 + i}", contact_email=f"contact{i}@example.cn",
        ))
        history: list[tuple[str, date]] = []
        joined = first_day + timedelta(days=rng.randint(0, 700))
        history.append((MembershipEvent.Kind.JOINED, joined))
        roll = rng.random()
        if roll < 0.005 and joined < today - timedelta(days=10):
            history.append((MembershipEvent.Kind.REVOKED, joined + timedelta(days=rng.randint(1, (today - joined).days))))
        elif roll < 0.13 and joined < today - timedelta(days=20):
            left = joined + timedelta(days=rng.randint(1, (today - joined).days - 5))
            history.append((MembershipEvent.Kind.WITHDREW, left))
            if rng.random() < 0.3 and left < today - timedelta(days=3):
                history.append((MembershipEvent.Kind.JOINED, left + timedelta(days=rng.randint(1, (today - left).days))))
        histories.append(history)

    with transaction.atomic():
        for org, history in zip(orgs, histories, strict=True):
            last_kind, last_date = history[-1]
            joins = [d for k, d in history if k == MembershipEvent.Kind.JOINED]
            org.joined_on = joins[-1]
            if last_kind == MembershipEvent.Kind.JOINED:
                org.status, org.left_on = MembershipStatus.SIGNATORY, None
            else:
                org.status = (MembershipStatus.WITHDRAWN if last_kind == MembershipEvent.Kind.WITHDREW
                              else MembershipStatus.REVOKED)
                org.left_on = last_date
        Organisation.objects.bulk_create(orgs, batch_size=1000)
        memberships: list[Membership] = []
        for org, history in zip(orgs, histories, strict=True):
            for idx, (kind, when) in enumerate(history):
                if kind != MembershipEvent.Kind.JOINED:
                    continue
                end = history[idx + 1] if idx + 1 < len(history) else None
                memberships.append(Membership(
                    organisation=org, started_on=when, ended_on=end[1] if end else None,
                    end_kind=("" if end is None else Membership.EndKind.WITHDRAWN
                              if end[0] == MembershipEvent.Kind.WITHDREW else Membership.EndKind.REVOKED),
                ))
        Membership.objects.bulk_create(memberships, batch_size=1000)
        by_org: dict[int, list[Membership]] = {}
        for m in memberships:
            by_org.setdefault(m.organisation_id, []).append(m)
        events: list[MembershipEvent] = []
        for org, history in zip(orgs, histories, strict=True):
            periods = iter(by_org[org.pk])
            current: Membership | None = None
            for kind, when in history:
                if kind == MembershipEvent.Kind.JOINED:
                    current = next(periods)
                assert current is not None
                # Recorded on the day it took effect (an event never takes effect before its act), so the
                # public log's entries fall in the periods whose bulletins print their heads.
                recorded = min(now, timezone.make_aware(datetime.combine(when, time(10))))
                events.append(MembershipEvent(
                    organisation=org, membership=current, kind=kind, effective_date=when, recorded_at=recorded,
                    legal_basis={"joined": "第二十三条", "withdrew": "第二十五条", "revoked": "第二十一条"}[kind],
                    reason="演示数据",
                    public_notice="经查证核实，该单位违反公约第十四条，向社会通报。" if kind == "revoked" else "",
                ))
        MembershipEvent.objects.bulk_create(events, batch_size=2000)
        # The details as they are now, valid from the first event (demo organisations were never renamed).
        OrganisationDetails.objects.bulk_create(
            (OrganisationDetails(organisation=org, valid_from=history[0][1], name=org.name, name_en=org.name_en,
                                 roles=org.roles, region=org.region, uscc_public=uscc_rules.mask(org.uscc),
                                 recorded_at=now, reason="演示数据")
             for org, history in zip(orgs, histories, strict=True)), batch_size=2000)
        # Bulk-created facts bypass the services: give them their public log entries here.
        from members.transparency.services import log_backfill

        log_backfill()
    signatories = sum(1 for o in orgs if o.status == MembershipStatus.SIGNATORY)
    return SeedResult(len(orgs), len(events), signatories)
