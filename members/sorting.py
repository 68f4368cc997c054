"""The stored sort key that puts organisation names in the order Chinese readers expect: by pinyin.

Databases sort Chinese by code point (SQLite, PostgreSQL's C collation) or by a locale the server happens
to have; neither is pinyin order. So every name gets a key computed here when it is written, and lists
sort by the key, the same on every database.

The key uses only ``[0-9a-z]``, because on those characters every collation (C, ``en_US.UTF-8``, ICU)
agrees with byte order; spaces and punctuation would be ignored by some collations and not others.

- A Han character becomes its syllable and tone, ``bei3``; the tone digit ends the syllable, and digits
  sort before letters, so ``an1`` < ``ang1`` < ``ba1`` as in a dictionary. Polyphonic characters are read
  with pypinyin's phrase dictionary (重庆 ``chong2qing4``, 银行 ``yin2hang2``).
- A Latin word becomes the word and ``0`` (before any Han syllable spelled the same); a number stays as it is.
- Punctuation and spaces are left out of the ordering.
- Then ``00`` and the code points of the name, so that names that read the same (李/里) still have one
  fixed order and the key is in practice unique (stable keyset pages, API cursors).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 512  # the column's length; only the order of names alike in their first ~40 characters is lost

_RAW = "\x00"  # marks text pypinyin has no reading for (Latin, digits, punctuation, rare characters)
_SYLLABLE = re.compile(r"[a-zü]+[1-5]")
_LATIN_OR_NUMBER = re.compile(r"[a-z]+|[0-9]+|[^\W\d_a-z]")


def _raw(text: str) -> Any:
    # pypinyin splices a returned list into its result (its stubs only say str).
    return [_RAW + text]


def _raw_units(text: str) -> str:
    out = []
    for part in _LATIN_OR_NUMBER.findall(text):
        if part.isascii() and part.isalpha():
            out.append(part + "0")
        elif part.isascii():
            out.append(part)
        else:  # a letter pypinyin cannot read (rare Han character, kana, ...): after every reading
            out.append(f"zzzz{ord(part):05x}")
    return "".join(out)


def name_sort_key(name: str) -> str:
    """The pinyin sort key of an organisation's name (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    primary = []
    for item in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=_raw):
        if item.startswith(_RAW):
            primary.append(_raw_units(item[1:]))
        elif _SYLLABLE.fullmatch(item):
            primary.append(item.replace("ü", "v"))
        else:
            primary.append(_raw_units(item))
    tiebreak = "".join(f"{ord(c):05x}" for c in text if not c.isspace())
    return ("".join(primary) + "00" + tiebreak)[:MAX_LENGTH]
