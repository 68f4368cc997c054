"""Stored labels shown in the active language (issue 13).

Events store their legal basis as the article's Chinese label ("第二十五条"), as every writer has done so far;
a code ("art:25") or a bare number is accepted too. Whatever is stored, the page shows the article in the
reader's language, so the English pages carry no Chinese fragment. Pure functions, no ORM.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_LABEL = re.compile(r"^\s*(?:公约)?第([零一二三四五六七八九十百]+)条\s*$")
_CODE = re.compile(r"^\s*(?:art:)?(\d{1,3})\s*$", re.I)


def parse_chinese_number(text: str) -> int:
    """Chinese numerals up to 999 as used for article numbers: 十七 → 17, 二十三 → 23, 一百零二 → 102."""
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def chinese_number(text: str) -> int | None:
    """二十五 → 25; None when it is not such a number (or is zero)."""
    try:
        return parse_chinese_number(text) or None
    except ValueError:
        return None


def chinese_label(number: int) -> str:
    """17 → 第十七条: the one form article labels are written and read in."""
    units = "零一二三四五六七八九"
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += units[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else units[tens]) + "十"
    if ones:
        out += units[ones]
    return f"第{out or '零'}条"


def article_number(stored: str) -> int | None:
    """The article number behind a stored legal basis, in any of the forms written so far."""
    match = _CODE.match(stored or "")
    if match:
        return int(match.group(1))
    match = _LABEL.match(stored or "")
    return chinese_number(match.group(1)) if match else None


def legal_basis_display(stored: str) -> str:
    """The stored legal basis in the active language; unknown text is shown as it was stored."""
    number = article_number(stored)
    if number is None:
        return stored
    if (get_language() or "").startswith("zh"):
        return stored if _LABEL.match(stored) else chinese_label(number)
    return _("公约第 %(n)s 条") % {"n": number}
