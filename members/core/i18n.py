"""Small translation helpers shared by the apps."""

from __future__ import annotations

from django.utils.functional import Promise, lazy


def _interpolate(message: Promise | str, params: dict[str, object]) -> str:
    return str(message) % params


# A lazily translated message with its parameters: it reads right in whichever language is active
# when it is shown, not the one active when it was built (module level, or a stored result).
interpolate_lazy = lazy(_interpolate, str)


def list_separator() -> str:
    """The enumeration comma of the active language: 、 in Chinese, ", " in English."""
    from django.utils.translation import pgettext

    return pgettext("list separator", "、")
