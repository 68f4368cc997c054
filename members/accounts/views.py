"""The language switcher and the portal's settings page: both set the account's language (issue 13)."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from members.core.errors import DomainError
from members.core.policy import actor_from_request

from .services import account_language_set, language_of


@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Django's ``set_language``; a signed-in account also keeps the language for its e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(language):
        with contextlib.suppress(DomainError):  # an unsupported code: Django's view already ignored it
            account_language_set(actor_from_request(request), request.user, language)
    return response


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("界面和邮件的语言"), choices=settings.LANGUAGES,
                                 widget=forms.RadioSelect)


def _with_language_cookie(response: HttpResponse | HttpResponseBase, language: str) -> HttpResponseBase:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


@login_required
def account_settings(request: HttpRequest) -> HttpResponseBase:
    form = LanguageForm(request.POST or None, initial={"language": language_of(request.user)})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            account_language_set(actor_from_request(request), request.user, language)
        except DomainError as exc:
            form.add_error("language", str(exc.message))
        else:
            with translation.override(language):
                messages.success(request, _("设置已保存。通知邮件将使用所选语言发送。"))
            return _with_language_cookie(redirect("portal:settings"), language)
    context: dict[str, Any] = {"form": form}
    return render(request, "members/portal/settings.html", context)
