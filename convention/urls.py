"""Root URLs. Each surface lives in its own module; the API gathers every app's endpoints."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from members import views as member_views

admin.site.site_header = "公约成员登记 · 执行机构工作台"
admin.site.site_title = "公约成员登记"
admin.site.index_title = "管理"

urlpatterns = [
    path("", include("members.public.urls")),
    path("portal/amendments/", include("convention.urls_portal")),
    path("portal/cases/", include("complaints.portal_urls")),
    path("portal/", include("members.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("convention/", include("convention.urls_public")),
    path("bulletins/", include("members.publications.urls")),
    path("complaints/", include("complaints.urls")),
    path("captcha/", include("captcha.urls")),
    path("documents/<int:pk>/", member_views.document_download, name="document_download"),
    path("api/v1/", include("convention.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
