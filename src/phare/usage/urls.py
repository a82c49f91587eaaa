"""Usage pages (``/usage/``)."""

from __future__ import annotations

from django.urls import path

from phare.usage import views

app_name = "usage"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:import_id>/", views.import_detail, name="import"),
    path("products/", views.products, name="products"),
    path("<slug:slug>/", views.service_usage, name="service"),
    path("<slug:slug>/deployment/", views.service_deployment, name="deployment"),
]
