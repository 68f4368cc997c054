"""Parse the convention's published text into chapters and articles (pure, no ORM)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHAPTER = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.*)$")
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条\s*(.*)$")


def chinese_number(text: str) -> int:
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


def article_label(number: int) -> str:
    """17 → 第十七条."""
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


@dataclass
class ParsedArticle:
    number: int
    chapter_number: int
    chapter_title: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedConvention:
    title: str
    articles: list[ParsedArticle]


def parse(raw: str) -> ParsedConvention:
    """Lines of the printed text are wrapped mid-sentence; a paragraph ends at a line ending in 。."""
    lines = [line.strip() for line in raw.splitlines()]
    lines = [line for line in lines if line]
    title = lines[0].strip("《》") if lines and lines[0].startswith("《") else ""
    articles: list[ParsedArticle] = []
    chapter_number, chapter_title = 0, ""
    buffer = ""
    for line in lines[1 if title else 0:]:
        chapter = _CHAPTER.match(line)
        article = _ARTICLE.match(line)
        if chapter:
            chapter_number, chapter_title = chinese_number(chapter.group(1)), chapter.group(2).strip()
            continue
        if article:
            if buffer and articles:
                articles[-1].paragraphs.append(buffer)
            buffer = article.group(2).strip()
            articles.append(ParsedArticle(chinese_number(article.group(1)), chapter_number, chapter_title))
        else:
            buffer += line
        if buffer.endswith("。") and articles:
            articles[-1].paragraphs.append(buffer)
            buffer = ""
    if buffer and articles:
        articles[-1].paragraphs.append(buffer)
    return ParsedConvention(title=title, articles=articles)
