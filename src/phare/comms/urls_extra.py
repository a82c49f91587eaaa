"""The Teams and Slack channels' pages and an event's registrations (in ``comms``)."""

from __future__ import annotations

from django.urls import path

from phare.comms.views import events, webhooks

urlpatterns: list = [
    path("channels/", webhooks.webhook_list, name="webhooks"),
    path("channels/new/", webhooks.webhook_new, name="webhook_new"),
    path("channels/<int:pk>/", webhooks.webhook_edit, name="webhook_edit"),
    path("channels/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("channels/<int:pk>/test/", webhooks.webhook_test, name="webhook_test"),
    path("actions/<int:pk>/registrations/", events.registrations, name="registrations"),
    path("actions/<int:pk>/registrations/export/", events.registrations_csv,
         name="registrations_csv"),
]
