"""Insights pages (``/insights/``)."""

from __future__ import annotations

from django.urls import path

from phare.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("barometer/<slug:slug>/", views.barometer, name="barometer"),
    path("tickets/", views.ticket_experience, name="tickets"),
    path("tickets/<slug:slug>/summary/", views.ticket_summary, name="ticket_summary"),
    path("services/<slug:slug>/card/", views.value_card, name="value_card"),
    path("cards/", views.value_cards, name="value_cards"),
    path("verbatims/", views.verbatims, name="verbatims"),
    path("perception/", views.perception, name="perception"),
]
