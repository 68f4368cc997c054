"""The admin site: only staff sessions verified with the second factor get in (django-two-factor-auth)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from two_factor.admin import AdminSiteOTPRequired


class StaffAdminSite(AdminSiteOTPRequired):
    """``has_permission`` needs ``request.user.is_verified()``; the login page is the staff login at
    /security/login/ (e-mail, password, then the code), which leads a staff member without a device
    to enrolment. A password-only session (e.g. from the portal's e-mail login) is sent there too."""

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponseRedirect:  # type: ignore[override]
        target = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('two_factor:login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
