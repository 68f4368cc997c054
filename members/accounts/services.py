"""The writes of account preferences, and the language an e-mail to an address goes out in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from members.core.errors import DomainError
from members.core.policy import Actor, authorize

from .models import AccountPreference

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@transaction.atomic
def account_language_set(actor: Actor, user: Any, language: str) -> AccountPreference:
    """The account's language for the portal and its e-mails; only the account itself sets it."""
    authorize(actor, "account.language_set", user)
    if language not in LANGUAGE_CODES:
        raise DomainError(_("不支持该语言。"), code="invalid_language", field="language")
    preference, _created = AccountPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"language": language})
    if preference.language != language:
        preference.language = language
        preference.save(update_fields=["language", "updated_at"])
    return preference


def account_language_adopt(actor: Actor, user: Any, language: str) -> None:
    """The language the account is using, taken as its preference unless it already chose one."""
    if language in LANGUAGE_CODES and not AccountPreference.objects.filter(user=user).exists():
        account_language_set(actor, user, language)


def language_of(user: Any) -> str:
    preference = AccountPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return preference or settings.LANGUAGE_CODE


def languages_of(emails: Iterable[str]) -> dict[str, list[str]]:
    """The addresses grouped by their account's language (the default language if none is set)."""
    emails = list(emails)
    chosen = dict(AccountPreference.objects.filter(user__email__in=emails)
                  .values_list("user__email", "language"))
    groups: dict[str, list[str]] = {}
    for email in emails:
        groups.setdefault(chosen.get(email, settings.LANGUAGE_CODE), []).append(email)
    return groups
