"""The unofficial English reference translation of the convention, article by article (issue 13).

Stored as data beside the Chinese text (``convention/data/convention-v1.en.json``). Only the Chinese text
is binding. A translation is shown for an article only while its Chinese text is still the text of
version 1 that was translated: an amended article shows no outdated English.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from convention.models import Article

DATA = Path(__file__).resolve().parents[1] / "data" / "convention-v1.en.json"


@cache
def translation_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def with_reference(articles: Any) -> list[Article]:
    """The articles, each with ``reference`` (English or "") and ``chapter_reference`` when the reader
    reads English; unchanged in Chinese."""
    out = list(articles)
    if not (get_language() or "").startswith("en"):
        return out
    data = translation_data()
    original = dict(Article.objects.filter(version__number=1).values_list("number", "text"))
    for a in out:
        same = original.get(a.number) == a.text
        a.reference = data["articles"].get(str(a.number), "") if same else ""  # type: ignore[attr-defined]
        a.chapter_reference = data["chapters"].get(str(a.chapter_number), "")  # type: ignore[attr-defined]
    return out
