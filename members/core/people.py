"""How a staff account is named on screen: its full name where one is set, else its login."""

from __future__ import annotations

import re
from typing import Any

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def display_name(user: Any) -> str:
    """The full name, family name first and unspaced for a Chinese name (张 + 伟 → 张伟), as Django's
    ``last_name`` / ``first_name`` hold them; the username (here the e-mail) when no name is set."""
    if user is None:
        return ""
    first, last = (getattr(user, "first_name", "") or "").strip(), (getattr(user, "last_name", "") or "").strip()
    name = last + first if _CJK.search(first + last) else f"{first} {last}".strip()
    return name or user.get_username()
