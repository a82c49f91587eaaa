from __future__ import annotations

from django.urls import path

from phare.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("export.zip", views.export, name="export"),
    path("erase/", views.erasure, name="erase"),
]
