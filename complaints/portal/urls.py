"""Portal pages of the complaints app, mounted at /portal/cases/ (namespace "cases")."""

from django.urls import path

from complaints.portal import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("disputes/new/", views.dispute_request, name="dispute_request"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute"),
    path("disputes/<int:pk>/withdraw/", views.dispute_withdraw, name="dispute_withdraw"),
]
