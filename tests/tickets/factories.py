"""What the ticket feedback tests share: an open standard ticket survey, a reported ticket, the
results the management page loads."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from phare.listening import services
from phare.listening.models import Survey
from phare.tickets import services as tickets


def open_ticket_survey(slug: str = "ticket-feedback", **rules) -> Survey:
    """The standard ticket survey, open, surveying every ticket at once unless told."""
    survey = tickets.ticket_survey_create(slug=slug)
    services.survey_update(survey, **{"sample_percent": 100, "send_delay_minutes": 0,
                                      "fatigue_days": 7, **rules})
    return services.survey_set_status(survey, Survey.Status.OPEN)


def ticket_row(external_id: str = "INC0012345", requester: str | None = "E0005", *,
               resolved_at: dt.datetime | None = None, **extra) -> dict:
    resolved = resolved_at or timezone.now() - dt.timedelta(hours=2)
    row = {"external_id": external_id, "opened_at": (resolved - dt.timedelta(hours=3)).isoformat(),
           "resolved_at": resolved.isoformat(), "channel": "portal",
           "assignment_group": "Service desk N1", "category": "Poste de travail"}
    if requester:
        row["requester_employee_id"] = requester
    row.update(extra)
    return row


def results_of(client, page):
    """The results fragment the management ``page`` loads with htmx (from insights), as
    ``client`` gets it."""
    found = re.search(r'id="ticket-results" hx-get="([^"]+)" hx-trigger="load"',
                      page.content.decode())
    assert found, "the management page loads no results"
    answer = client.get(found.group(1), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    return answer


#: The size of the ticket demo that every module reading it asks for (with seed 7), so that
#: one build serves them all (``tests/conftest.py`` runs them side by side).
DEMO_EMPLOYEES, DEMO_TICKETS = 300, 2000


def ticket_demo(demo_through, last_app: str = "tickets"):
    """The shared ticket demo, built through ``last_app``'s step."""
    return demo_through(last_app, seed=7, employees=DEMO_EMPLOYEES, tickets=DEMO_TICKETS)
