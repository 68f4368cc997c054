"""The articles each membership act cites as its legal basis."""

from __future__ import annotations

ART_JOIN = "第二十三条"
ART_WITHDRAW = "第二十五条"
ART_REVOKE = "第二十一条"
