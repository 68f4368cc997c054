"""The portal's "API 令牌" page: an account lists, issues and revokes its own tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members.core.errors import DomainError
from members.core.policy import actor_from_request

from . import services
from .models import ApiToken, TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例如：报送系统、统计脚本"))
    scope = forms.ChoiceField(label=_("权限范围"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires_in_days = forms.IntegerField(label=_("有效期（天）"), min_value=1,
                                         initial=lambda: settings.API_TOKEN_DEFAULT_DAYS)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["expires_in_days"].max_value = settings.API_TOKEN_MAX_DAYS  # type: ignore[attr-defined]
        self.fields["expires_in_days"].help_text = _("最长 %(max)d 天。") % {"max": settings.API_TOKEN_MAX_DAYS}


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    plaintext = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, plaintext = services.token_create(actor_from_request(request), **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        if form.errors:
            status = 400
        elif plaintext:
            form = TokenForm()
    return render(request, "audit/tokens.html", {
        "form": form, "plaintext": plaintext,
        "tokens": ApiToken.objects.filter(user_id=request.user.pk or 0).select_related("user"),
    }, status=status)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.token_revoke(actor_from_request(request), pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("令牌已撤销，使用它的请求将被拒绝。"))
    return redirect("portal:tokens")
