"""Parse the convention's published text into chapters and articles (pure, no ORM)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from members.core.labels import chinese_label, parse_chinese_number

_CHAPTER = re.compile(r"^第([一二三四五六七八九十]+)章\s*(.*)$")
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条\s*(.*)$")


chinese_number = parse_chinese_number
article_label = chinese_label


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
