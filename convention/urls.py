"""Root URLs. Each surface lives in its own module; the API gathers every app's endpoints."""

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from convention import home
from members import views as member_views
from members.accounts import views as account_views
from members.audit import health as audit_health
from members.audit.twofactor.site import StaffAdminSite

admin.site.site_header = _("公约成员登记 · 执行机构工作台")
admin.site.site_title = _("公约成员登记")
admin.site.index_title = _("管理")
# Issue 15: the admin admits only staff sessions verified with the second factor (django-two-factor-auth).
admin.site.__class__ = StaffAdminSite

urlpatterns = [
    path("", home.home),  # before the register's own "" (public:home still reverses to "/")
    path("", include("members.public.urls")),
    path("portal/amendments/", include("convention.amendments.portal_urls")),
    path("portal/cases/", include("complaints.portal.urls")),
    path("portal/", include("members.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("convention/", include("convention.text.urls")),
    path("bulletins/", include("members.publications.urls")),
    path("verify/", include("members.transparency.urls")),
    path("complaints/", include("complaints.urls")),
    path("altcha/", include("altcha_django.urls")),
    path("documents/<int:pk>/", member_views.document_download, name="document_download"),
    path("api/v1/", include("convention.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script served as a file and no inline style: no CSP exception needed.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="audit/swagger_ui.html"),
         name="api-docs"),
    # Redoc's page has an inline script and Google fonts: exempt from the CSP (read-only API docs).
    path("api/redoc/", csp_exempt()(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    # Django's set_language, which also keeps a signed-in account's language for its e-mails.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# --- Hardening (issues 8, 15): staff login with the second factor, enrolment, health check -----------
urlpatterns += [
    path("security/", include("members.audit.twofactor.urls")),
    # The enrolment address of issue 8, kept for bookmarks and printed instructions.
    path("security/otp/enrol/", RedirectView.as_view(pattern_name="two_factor:setup"), name="otp_enrol"),
    path("health/", audit_health.health_view, name="health"),
]


# Unknown paths under /api/ answer in the API's JSON error shape.
handler404 = "members.core.api_errors.page_not_found"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
