from __future__ import annotations

from django.urls import path

from phare.core import glossary, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", glossary.glossary, name="glossary"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("language", views.set_language, name="set_language"),
]
