"""Routes of the positioning study: results (included by ``urls.py``)."""

from __future__ import annotations

from django.urls import path

from phare.positioning.views import results

urlpatterns: list = [
    path("<slug:slug>/map/", results.map_page, name="map"),
    path("<slug:slug>/map/csv/", results.map_csv, name="map_csv"),
    path("<slug:slug>/gaps/", results.gaps_page, name="gaps"),
    path("<slug:slug>/gaps/csv/", results.gaps_csv, name="gaps_csv"),
    path("<slug:slug>/shadow/", results.shadow_page, name="shadow"),
    path("<slug:slug>/shadow/csv/", results.shadow_csv, name="shadow_csv"),
    path("<slug:slug>/segments/", results.segments_page, name="segments"),
]
