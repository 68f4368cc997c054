"""An account that has not chosen a language takes the one it signs in with."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from members.core.policy import actor_for

from .services import account_language_adopt


def adopt_language_on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    language = getattr(request, "LANGUAGE_CODE", "") or translation.get_language()
    # The account that has just signed in acts for itself (``request.user`` may not be set yet).
    account_language_adopt(actor_for(user), user, language)
