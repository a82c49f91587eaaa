"""The Reports page (under /reports/): the list, generating, downloads, schedules."""

from __future__ import annotations

from django.urls import path

from phare.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/row/", views.report_row, name="row"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
    path("schedules/new/", views.schedule_new, name="schedule_new"),
    path("schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path("schedules/<int:pk>/delete/", views.schedule_delete, name="schedule_delete"),
]
