"""API endpoints of the convention's text and versions, mounted under /api/v1/."""

from django.urls import path

from convention.text.api import (
    ConventionArticleApi,
    ConventionCurrentApi,
    ConventionVersionDetailApi,
    ConventionVersionListApi,
)

urlpatterns = [
    path("convention/versions/", ConventionVersionListApi.as_view(), name="api-convention-versions"),
    path("convention/current/", ConventionCurrentApi.as_view(), name="api-convention-current"),
    path("convention/versions/<int:number>/", ConventionVersionDetailApi.as_view(),
         name="api-convention-version"),
    path("convention/versions/<int:number>/articles/<int:article>/", ConventionArticleApi.as_view(),
         name="api-convention-article"),
]
