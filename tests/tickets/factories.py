"""What the ticket feedback tests share: an open standard ticket survey, a reported ticket, the
results the management page loads."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
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


#: A small English ServiceNow export whose dates Phare cannot order by themselves.
UNDECIDED_EXPORT = (b"Number,Opened,Resolved,Channel,Service\r\n"
                    b"INC0090001,03/04/2025 09:00,03/04/2025 10:00,Phone,VPN Gateway\r\n"
                    b"INC0090002,05/06/2025 09:00,05/07/2025 10:00,Email,Messaging\r\n")


def kept_upload(user, data: bytes = UNDECIDED_EXPORT, name: str = "export.csv"):
    """An export uploaded by ``user`` waiting for its mapping step."""
    return tickets.ticket_import_begin(file=SimpleUploadedFile(name, data), review=True,
                                       user=user)


def ticket_import_job(user):
    """A ticket import job started by ``user`` (queued: its report page shows the progress)."""
    return tickets.ticket_import_begin(file=SimpleUploadedFile(
        "export.csv", b"number,opened_at,resolved_at\r\nINC1,2025-03-01 09:00,"
                      b"2025-03-01 10:00\r\n"), user=user)
