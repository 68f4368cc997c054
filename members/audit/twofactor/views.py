"""The staff login, enrolment, backup codes and security page, on django-two-factor-auth's wizards.

The package does the hard parts (the password → code → backup-code login wizard with its timeout,
the TOTP setup wizard with its QR code, django-otp's throttling); this module changes only what the
registry needs: the e-mail address as login name, Chinese templates, staff without a device led to
enrolment right after the password step, a second device added only from a verified session, and
backup codes shown once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.decorators import otp_required
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.plugins.registry import GeneratorMethod, registry
from two_factor.utils import USER_DEFAULT_DEVICE_ATTR_NAME, default_device
from two_factor.views import LoginView, SetupView
from two_factor.views.utils import IdempotentSessionWizardView

from . import services
from .forms import BackupStepForm, DeviceForm, EmailAuthenticationForm, TokenStepForm
from .guard import staff_verified

NEXT_KEY = "twofactor_next"
CODES_KEY = "twofactor_new_codes"
verified_required = otp_required(login_url=reverse_lazy("two_factor:login"))


class StaffGeneratorMethod(GeneratorMethod):
    """The package's TOTP method with this project's forms (labels and messages in Chinese)."""

    def recognize_device(self, device: Any) -> bool:
        return isinstance(device, TOTPDevice)

    def get_setup_forms(self, *args: Any) -> dict[str, Any]:
        return {"generator": DeviceForm}

    def get_token_form_class(self) -> type:
        return TokenStepForm


def register_method() -> None:
    registry.unregister("generator")
    registry.register(StaffGeneratorMethod())


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


class StaffLoginView(LoginView):
    """Password, then the code of a TOTP device (or a backup code). A staff account without a device is
    signed in without staff powers and sent to enrolment; it is verified only once a device is confirmed."""

    template_name = "audit/twofactor/login.html"
    form_list = (
        (LoginView.AUTH_STEP, EmailAuthenticationForm),
        (LoginView.TOKEN_STEP, TokenStepForm),
        (LoginView.BACKUP_STEP, BackupStepForm),
    )

    def get_user(self) -> Any:
        user = super().get_user()
        if user and not hasattr(user, USER_DEFAULT_DEVICE_ATTR_NAME) and default_device(user) is None:
            # A device made in the admin or by older enrolment may have another name than "default".
            setattr(user, USER_DEFAULT_DEVICE_ATTR_NAME,
                    TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first())
        return user

    def get_success_url(self) -> str:
        url = self.get_redirect_url()
        if url:
            return url
        user = self.get_user()
        return reverse("admin:index") if user and user.is_staff else reverse("portal:dashboard")

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        user = self.get_user()
        if user.is_staff and default_device(user) is None:
            login(self.request, user)
            self.request.session[NEXT_KEY] = self.get_success_url()
            return redirect("two_factor:setup")
        return super().done(form_list, **kwargs)


@method_decorator(never_cache, name="dispatch")
class EnrolView(SetupView):
    """Add a TOTP device: the first one right after the password (nothing to verify yet), any further
    one only from a session already verified with the second factor (a stolen password adds nothing)."""

    template_name = "audit/twofactor/setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('two_factor:login')}?next={reverse('two_factor:setup')}")
        if not user.is_staff:
            return render(request, "audit/twofactor/staff_only.html", status=403)
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if has_device and not staff_verified(user):
            return redirect(f"{reverse('two_factor:login')}?next={reverse('two_factor:setup')}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The package sends anyone with a device away; here a verified session may add a second one.
        return IdempotentSessionWizardView.get(self, request, *args, **kwargs)

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form, **kwargs)
        context["cancel_url"] = reverse("two_factor:profile") if staff_verified(self.request.user) else None
        return context

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        super().done(form_list, **kwargs)
        if services.backup_codes_remaining(self.request.user) == 0:
            # Shown on the next page, once, then only their number.
            self.request.session[CODES_KEY] = services.backup_codes_issue(self.request.user)
        return redirect("two_factor:setup_complete")


@never_cache
@verified_required
def setup_complete(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.session.pop(NEXT_KEY, None)) or reverse("admin:index")
    return render(request, "audit/twofactor/setup_complete.html", {
        "codes": request.session.pop(CODES_KEY, None), "next_url": next_url,
    })


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes replace the old ones; they are shown in this answer only."""
    codes = services.backup_codes_issue(request.user) if request.method == "POST" else None
    return render(request, "audit/twofactor/backup_codes.html", {
        "codes": codes, "remaining": services.backup_codes_remaining(request.user),
    })


@never_cache
@verified_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/twofactor/profile.html", {
        "devices": TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("pk"),
        "remaining": services.backup_codes_remaining(request.user),
    })
