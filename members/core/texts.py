"""Stored texts as a code plus parameters, translated when they are shown (issue 13).

A notification or an event row written by the system used to store its text already translated, in
whichever language was active when it was written; a Chinese and an English reader then saw the same
words. Now the row stores a stable code and its parameters (free text typed by staff stays free text, as
a parameter or as the whole text) and each reader sees it in the language active when it is shown.

Each app declares its codes in a ``texts`` module (``register({...})``); they are found like admin
modules are. The row also keeps the text as written in the default language (Chinese): what a reader
sees if the code is unknown, and what rows written before this change hold (``shown`` translates those
when the stored text is one of the catalogue's fixed messages; ``recognise`` lets a data migration turn
them into codes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

CATALOGUE: dict[str, Promise] = {}
_loaded = False


def register(entries: Mapping[str, Promise]) -> None:
    """Add an app's codes; a code names one message for ever (a new wording keeps the code)."""
    for code in entries:
        if code in CATALOGUE and CATALOGUE[code] is not entries[code]:
            raise ValueError(f"text code {code!r} registered twice")
    CATALOGUE.update(entries)


def _catalogue() -> dict[str, Promise]:
    global _loaded
    if not _loaded:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("texts")
        _loaded = True
    return CATALOGUE


@dataclass(frozen=True)
class Text:
    """A message of the catalogue with its parameters; ``str()`` renders it in the active language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in _catalogue():
            raise KeyError(f"unknown text code {self.code!r}")

    def __str__(self) -> str:
        return render(self.code, self.params)

    def stored_params(self) -> dict[str, Any]:
        """The parameters as JSON: a nested Text becomes ``{"code": ..., "params": ...}``."""
        return {k: ({"code": v.code, "params": v.stored_params()} if isinstance(v, Text) else v)
                for k, v in self.params.items()}


def text(code: str, **params: Any) -> Text:
    return Text(code, params)


def _param(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"code", "params"}:
        return render(value["code"], value["params"])
    if isinstance(value, Text):
        return str(value)
    return value


def render(code: str, params: Mapping[str, Any] | None = None, fallback: str = "") -> str:
    """The message in the active language; the fallback if the code or a parameter is unknown."""
    message = _catalogue().get(code)
    if message is None:
        return fallback
    try:
        return str(message) % {k: _param(v) for k, v in (params or {}).items()}
    except (KeyError, TypeError, ValueError):
        return fallback


def split(value: Text | Promise | str) -> tuple[str, dict[str, Any], str]:
    """What a row stores for ``value``: (code, parameters, the text in the default language).

    Free text has no code and is stored as typed.
    """
    if isinstance(value, Text):
        with translation.override(settings.LANGUAGE_CODE):
            return value.code, value.stored_params(), str(value)
    if isinstance(value, Promise):
        with translation.override(settings.LANGUAGE_CODE):
            return "", {}, str(value)
    return "", {}, value


def reason_fields(value: Text | str) -> dict[str, Any]:
    """The ``reason``, ``reason_code`` and ``reason_params`` of a row with a coded reason."""
    code, params, stored = split(value)
    return {"reason": stored, "reason_code": code, "reason_params": params}


def shown(code: str, params: Mapping[str, Any] | None, stored: str) -> str:
    """What a reader sees: the coded message in the active language, else the stored text.

    A stored text without a code (a row written before codes) that is one of the catalogue's fixed
    messages is translated too; free text is shown as typed.
    """
    if code:
        return render(code, params, fallback=stored)
    if stored and stored in _fixed_messages():
        return translation.gettext(stored)
    return stored


def _fixed_messages() -> set[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return {str(m) for m in _catalogue().values() if "%(" not in str(m)}


def _pattern(message: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", message.replace("%%", "%"))
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


def recognise(stored: str, codes: list[str] | None = None) -> Text | None:
    """The code and parameters of a text written before codes, in any of the site's languages.

    For data migrations: the first of ``codes`` (default: every code) whose message, in Chinese or in
    English, matches the whole text; ``None`` if none does (free text stays free text).
    """
    candidates = codes if codes is not None else list(_catalogue())
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code in candidates:
                match = _pattern(str(_catalogue()[code])).match(stored)
                if match:
                    return Text(code, match.groupdict())
    return None
