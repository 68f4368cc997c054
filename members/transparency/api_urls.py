from django.urls import path

from . import api

urlpatterns = [
    path("log/entries/", api.LogEntriesApi.as_view(), name="log-entries"),
    path("log/entries/<int:index>/", api.LogEntryDetailApi.as_view(), name="log-entry"),
    path("log/head/", api.LogHeadApi.as_view(), name="log-head"),
    path("log/proof/inclusion/", api.LogInclusionProofApi.as_view(), name="log-proof-inclusion"),
    path("log/proof/consistency/", api.LogConsistencyProofApi.as_view(), name="log-proof-consistency"),
    path("verify/", api.VerifyLookupApi.as_view(), name="verify-lookup"),
    path("verify/file/", api.VerifyFileApi.as_view(), name="verify-file"),
]
