"""The ticket import as a background job: an ITSM export (CSV or .xlsx) read with the options
of the web import (system, strict, the columns and date order a person chose), received."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext_lazy as _

from phare.jobs.models import Job
from phare.jobs.services import JobFailed, Progress, job_handler
from phare.tickets import services
from phare.tickets.imports import JOB_KIND, TicketImportError
from phare.tickets.models import Ticket

IMPORT = JOB_KIND

RESULT_LABELS = {
    "format": _("Format"),
    "rows_read": _("Rows in the file"),
    "tickets": _("Tickets read"),
    "received": _("New tickets"),
    "already_received": _("Tickets received before (left as they were)"),
    "invited_later": _("To be surveyed after the delay"),
    "not_sampled": Ticket.Decision.NOT_SAMPLED.label,
    "fatigue": Ticket.Decision.FATIGUE.label,
    "no_requester": Ticket.Decision.NO_REQUESTER.label,
    "opted_out": Ticket.Decision.OPTED_OUT.label,
    "quiet_period": Ticket.Decision.QUIET_PERIOD.label,
    "contact_cap": Ticket.Decision.CONTACT_CAP.label,
    "no_survey": Ticket.Decision.NO_SURVEY.label,
}


#: Why tickets of a file were left out.
SKIPPED_LABELS = {
    "open": _("open (no resolution nor closing date)"),
    "cancelled": _("cancelled"),
    "invalid": _("a line with an error"),
    "duplicate": _("listed twice"),
}


def skipped_label(reason: str) -> str:
    return str(SKIPPED_LABELS.get(reason, reason))


@job_handler(IMPORT, result_labels=RESULT_LABELS)
def tickets_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Import ``job.input_file``, a ticket export (CSV or .xlsx)."""
    with job.input_file.open("rb") as file:
        data = file.read()
    params = job.params
    try:
        report = services.import_tickets(
            data, system=params.get("system", "auto"), strict=bool(params.get("strict")),
            date_order=params.get("date_order", ""), columns=params.get("columns") or None,
            user=job.created_by, progress=progress)
    except TicketImportError as exc:
        raise JobFailed.with_errors(str(exc), [asdict(e) for e in exc.errors]) from None
    return report.as_dict()
