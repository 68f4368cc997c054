"""The unified social credit code (统一社会信用代码, GB 32100-2015), checked without the ORM.

Layout of the 18 characters:
  1      registration authority (1-9, A, N, Y)
  2      category within that authority
  3-8    administrative division (six digits, GB/T 2260)
  9-17   organisation code (GB 11714); the 17th character is its own check character
  18     check character over the first 17
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.core.i18n import interpolate_lazy

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 3^(i-1) mod 31 for positions 1..17
ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
# GB 32100-2015 annex: registration authority (1st character) -> its categories (2nd character).
CATEGORIES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交
    "3": "1234569",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, ..., 其他
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}
AUTHORITIES = set(CATEGORIES)
# First two digits of a GB/T 2260 division: the province-level codes, plus 10 for central bodies (100000).
PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
}
INDIVIDUAL_BUSINESS_PREFIX = "92"




@dataclass(frozen=True)
class UsccResult:
    code: str
    errors: tuple[Promise | str, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def reason(self) -> str:
        return "；".join(str(e) for e in self.errors)


def normalise(raw: str) -> str:
    """Strip, fold full-width characters to half-width (NFKC) and upper-case.

    Spaces and hyphens inside the code are dropped: people copy codes from printed licences.
    """
    folded = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-－").upper()


def org_code_check_char(first8: str) -> str:
    """GB 11714: check character of an eight-character organisation code body (digits or A-Z)."""
    total = sum(_org_char_value(ch) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def _org_char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    return ord(ch) - ord("A") + 10  # GB 11714 values letters A=10 ... Z=35


def uscc_check_char(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def check(raw: str) -> UsccResult:
    """Check a code and say precisely which part is wrong."""
    code = normalise(raw)
    if not code:
        return UsccResult(code, (_("统一社会信用代码不能为空。"),))
    if len(code) != 18:
        return UsccResult(
            code, (interpolate_lazy(_("统一社会信用代码应为18位，当前为%(n)d位。"), {"n": len(code)}),)
        )
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        return UsccResult(
            code,
            (
                interpolate_lazy(_("含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z 及符号）。"), {"chars": "、".join(bad)}),
            ),
        )
    errors: list[Promise | str] = []
    if code[0] not in AUTHORITIES:
        errors.append(interpolate_lazy(_("第1位登记管理部门代码“%(c)s”无效（应为1-9、A、N或Y）。"), {"c": code[0]}))
    elif code[1] not in CATEGORIES[code[0]]:
        errors.append(interpolate_lazy(_("第2位机构类别代码“%(c)s”与登记管理部门“%(a)s”不对应。"),
                                       {"c": code[1], "a": code[0]}))
    division = code[2:8]
    if not division.isdigit():
        errors.append(_("第3-8位行政区划码应为6位数字。"))
    elif not (division[:2] in PROVINCE_PREFIXES or division == "100000"):
        errors.append(interpolate_lazy(_("第3-8位行政区划码“%(d)s”不是有效的省级行政区划。"), {"d": division}))
    # The check characters are reported as wrong, never with the expected value: a message that gave it
    # away would let a mistyped code be "corrected" into a valid code of another organisation.
    org = code[8:17]
    if org[8] != org_code_check_char(org[:8]):
        errors.append(_("第17位组织机构代码校验码与第9-16位不符，请核对第9-17位是否抄写有误。"))
    if code[17] != uscc_check_char(code[:17]):
        errors.append(_("第18位校验码与前17位不符，请核对代码是否抄写有误。"))
    return UsccResult(code, tuple(errors))


def is_individual_business(code: str) -> bool:
    return code.startswith(INDIVIDUAL_BUSINESS_PREFIX)


def mask(code: str) -> str:
    """The public form of an individual business's code: it identifies a person (PIPL)."""
    if not is_individual_business(code):
        return code
    return code[:8] + "*" * 8 + code[-2:]


def make(authority_category: str, division: str, org_body: str) -> str:
    """Build a valid code from its parts (demo data and tests)."""
    org = org_body + org_code_check_char(org_body)
    first17 = authority_category + division + org
    return first17 + uscc_check_char(first17)
