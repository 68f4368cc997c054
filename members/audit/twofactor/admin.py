"""Admin: a verified superuser resets another staff member's second-factor devices (a lost phone)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from members.core.errors import DomainError
from members.core.policy import actor_from_request

from . import services


@admin.action(description=_("重置所选账户的双重认证设备（丢失手机时）"))
def reset_second_factor(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    done = 0
    for user in queryset:
        try:
            services.devices_reset(actor_from_request(request), user)
        except DomainError as exc:
            modeladmin.message_user(request, f"{user.get_username()}: {exc.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, _("已重置 %(n)d 个账户的验证设备；其下次登录时将重新绑定。") % {"n": done},
                                messages.SUCCESS)


def attach_reset_action() -> None:
    model_admin = admin.site._registry.get(get_user_model())
    if model_admin is None:
        return
    actions = list(model_admin.actions or [])
    if reset_second_factor not in actions:
        model_admin.actions = [*actions, reset_second_factor]
