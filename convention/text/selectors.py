"""Reads of the convention's versions, and the difference between two versions article by article."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from convention.models import Article, ConventionVersion
from convention.text.parse import article_label
from members.core import clock


def current_version() -> ConventionVersion | None:
    """The newest version in force today; version 1 counts as in force until another takes effect."""
    today = clock.today()
    return (
        ConventionVersion.objects.filter(Q(effective_date__lte=today) | Q(number=1))
        .order_by("-number").first()
    )


def versions() -> QuerySet[ConventionVersion]:
    return ConventionVersion.objects.order_by("-number")


def version_by_number(number: int) -> ConventionVersion | None:
    return ConventionVersion.objects.filter(number=number).first()


def articles_of(version: ConventionVersion) -> QuerySet[Article]:
    return version.articles.order_by("number")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class ArticleDiff:
    number: int
    change: str  # "unchanged", "changed", "added" or "removed"
    segments: list[Segment] = field(default_factory=list)

    @property
    def label(self) -> str:
        return article_label(self.number)


def diff_text(old: str, new: str) -> list[Segment]:
    """Character-level difference (Chinese has no spaces between words). Pure."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", old[i1:i2]))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", new[j1:j2]))
    return segments


def diff_articles(old: dict[int, str], new: dict[int, str]) -> list[ArticleDiff]:
    """Articles matched by number; pure over {number: text}."""
    out: list[ArticleDiff] = []
    for number in sorted(set(old) | set(new)):
        if number not in new:
            out.append(ArticleDiff(number, "removed", [Segment("delete", old[number])]))
        elif number not in old:
            out.append(ArticleDiff(number, "added", [Segment("insert", new[number])]))
        elif old[number] == new[number]:
            out.append(ArticleDiff(number, "unchanged", [Segment("equal", new[number])]))
        else:
            out.append(ArticleDiff(number, "changed", diff_text(old[number], new[number])))
    return out


def version_diff(old: ConventionVersion, new: ConventionVersion) -> list[ArticleDiff]:
    def texts(v: ConventionVersion) -> dict[int, str]:
        return dict(v.articles.values_list("number", "text"))

    return diff_articles(texts(old), texts(new))
