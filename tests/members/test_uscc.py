import pytest
from django.utils import translation

from members import uscc
from tests.factories import valid_uscc


def test_it_accepts_a_known_valid_code():
    assert uscc.check("91350100M000100Y43").valid


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width
        (" 91350100m000100y43 ", "91350100M000100Y43"),  # case and spaces
        ("91350100-M000100Y4-3", "91350100M000100Y43"),
    ],
)
def test_it_normalises_before_checking(raw, normalised):
    result = uscc.check(raw)
    assert result.code == normalised
    assert result.valid


@pytest.mark.parametrize(
    ("raw", "fragment_zh", "fragment_en"),
    [
        ("", "不能为空", "empty"),
        ("91350100M000100Y4", "18位", "18 characters"),
        ("91350100M000100Y433", "18位", "18 characters"),
        ("91350100M00010OY43", "不允许的字符：O", "characters not allowed: O"),
        ("91350100I000100Y43", "不允许的字符：I", "characters not allowed: I"),
        ("91350100M000100Y44", "第18位校验码与前17位不符", "18th character"),
        ("99350100M000100Y44", "第2位机构类别代码“9”与登记管理部门“9”不对应", "2nd character"),
        ("91990100M000100Y44", "第3-8位行政区划码“990100”不是有效的省级行政区划", "not a valid province"),
        ("B1350100M000100Y43", "第1位登记管理部门代码", "1st character"),
        ("913501A0M000100Y43", "第3-8位行政区划码", "3 to 8"),
    ],
)
def test_it_says_what_is_wrong_in_chinese_and_english(raw, fragment_zh, fragment_en):
    result = uscc.check(raw)
    assert not result.valid
    with translation.override("zh-hans"):
        assert fragment_zh in result.reason
    with translation.override("en"):
        assert fragment_en in result.reason


def test_it_checks_the_embedded_organisation_code():
    # Change the 17th character (GB 11714 check) and recompute the 18th so that only the embedded check fails.
    first16 = "91350100M000100Y"
    wrong17 = first16 + "5"
    code = wrong17 + uscc.uscc_check_char(wrong17)
    result = uscc.check(code)
    assert not result.valid
    assert len(result.errors) == 1
    with translation.override("zh-hans"):
        assert "第17位组织机构代码校验码与第9-16位不符" in result.reason
        assert "“4”" not in result.reason  # the expected character is never given away


@pytest.mark.parametrize("body,expected", [("M000100Y", "4"), ("00000000", "0"), ("12345678", "8")])
def test_org_code_check_char_table(body, expected):
    # weights 3,7,9,10,5,8,4,2; 11 - sum mod 11, 10 -> X, 11 -> 0
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, [3, 7, 9, 10, 5, 8, 4, 2], strict=True))
    plain = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    assert uscc.org_code_check_char(body) == plain == expected


def test_factory_codes_are_valid_and_distinct():
    codes = {valid_uscc() for _ in range(200)}
    assert len(codes) == 200
    assert all(uscc.check(c).valid for c in codes)


def test_individual_business_codes_are_masked():
    code = uscc.make("92", "440300", "MA5F1234")
    assert uscc.mask(code) == code[:8] + "********" + code[-2:]
    assert uscc.mask("91350100M000100Y43") == "91350100M000100Y43"
