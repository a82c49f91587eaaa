from __future__ import annotations

from django.urls import path

from phare.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entries"),
    path("export.csv", views.export, name="export"),
]
