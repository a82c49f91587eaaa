"""Ticket feedback's pages, at their addresses under the survey areas: management under
``/surveys/tickets/`` (survey managers), the one-click rating under ``/s/t/`` (an email link's
token is the authority). Mounted at the root by :mod:`phare.urls`."""

from __future__ import annotations

from django.urls import path

from phare.tickets.views import imports, manage, rating

app_name = "tickets"
urlpatterns: list = [
    # management (views/manage.py)
    path("surveys/tickets/", manage.ticket_feedback, name="manage"),
    path("surveys/tickets/import/", imports.ticket_import, name="import"),
    path("surveys/tickets/import/<int:upload_id>/columns/", imports.ticket_import_mapping,
         name="import_mapping"),
    path("surveys/tickets/import/report/<uuid:job_id>/", imports.ticket_import_report,
         name="import_report"),
    path("surveys/tickets/unmapped/", imports.ticket_unmapped, name="unmapped"),
    # one-click rating (views/rating.py)
    path("s/t/<str:token>/<int:score>/", rating.ticket_rate, name="rate"),
    path("s/t/<str:token>/", rating.ticket_followups, name="followups"),
    path("s/t/<str:token>/thanks/", rating.ticket_thanks, name="thanks"),
]
