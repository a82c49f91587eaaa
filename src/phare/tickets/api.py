"""The tickets API: closed tickets reported by the ITSM (``/api/v1/tickets``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.accounts.roles import SURVEY_MANAGERS
from phare.audit.services import acting_user
from phare.lib.api import Pagination, Refusal, error_response, json_body
from phare.tickets import queries, services
from phare.tickets.imports import ORDERS, SYSTEMS, TicketImportError
from phare.tickets.intake import TicketErrors
from phare.tickets.models import Ticket

router = Router(tags=["tickets"])
#: The operation ids the API published while this router lived in listening (clients and
#: generated SDKs name their calls after them): kept as they were.
OPERATION_ID = "phare_listening_api_tickets_{}".format

#: The most tickets one request may carry; an ITSM sends more in several requests.
MAX_BATCH = 5000


class TicketIn(Schema):
    """A closed ticket as the ITSM reports it."""

    external_id: str = Field(max_length=80, examples=["INC0012345"], description=(
        "The ticket's id in the ITSM. A ticket already received is left as it was "
        "(reported as `already_received`): it is never surveyed twice."))
    service: str | None = Field(None, examples=["teletravail"], description=(
        "The identifier of the catalogue service, when known; it must exist."))
    service_label: str | None = Field(None, max_length=200, examples=["VPN Gateway"],
                                      description=(
        "The ITSM's name for the business service or configuration item, kept as is: a "
        "label to map to a catalogue service later when `service` is not given."))
    subject: str | None = Field(None, max_length=200, examples=["VPN drops every hour"],
                                description="The requester's words for it (shown when asked "
                                            "to rate it).")
    category: str | None = Field(None, max_length=120)
    channel: Literal["portal", "phone", "email", "chat", "walk_in"] | None = Field(
        None, description="How the request came in.")
    opened_at: datetime = Field(description=(
        "ISO 8601; a time without an offset is read in Phare's time zone."))
    resolved_at: datetime = Field(description="ISO 8601, not before `opened_at`.")
    assignment_group: str | None = Field(None, max_length=120)
    reassignment_count: int = Field(0, ge=0, description="How many times it changed group.")
    requester_employee_id: str | None = Field(None, description=(
        "The requester's employee id in the directory (looked up first)."))
    requester_email: str | None = Field(None, description=(
        "The requester's email, looked up when the employee id is absent or unknown. An "
        "unknown requester is not an error: the ticket is recorded and not surveyed."))


class ReceivedCounts(Schema):
    received: int = Field(description="Tickets recorded by this request.")
    already_received: int = Field(description="Tickets known before, left unchanged.")
    invited_later: int = Field(description="To be surveyed once the delay after closure ends.")
    not_sampled: int
    fatigue: int = Field(description="Requester surveyed recently.")
    no_requester: int = Field(description="Requester not found in the directory.")
    opted_out: int
    quiet_period: int = Field(description=(
        "A quiet period holds the requester back until after the ticket's rating window (one "
        "that ends sooner only postpones the invitation: `invited_later`)."))
    contact_cap: int = Field(description="Requester reached the survey contact limit.")
    no_survey: int = Field(description="No open ticket survey.")


class TicketDecisionOut(Schema):
    external_id: str
    decision: str = Field(description=(
        "`pending` (invited after the delay, or once a quiet period is over), `not_sampled`, "
        "`fatigue`, `no_requester`, `opted_out`, `quiet_period`, `contact_cap`, `no_survey`, "
        "or `already_received`."))
    send_after: datetime | None


class TicketsReceivedOut(Schema):
    counts: ReceivedCounts
    tickets: list[TicketDecisionOut]


class TicketOut(Schema):
    external_id: str
    subject: str
    service: str | None
    service_label: str
    category: str
    channel: str
    opened_at: datetime
    resolved_at: datetime
    assignment_group: str
    reassignment_count: int
    received_at: datetime
    decision: str
    send_after: datetime | None
    invited_at: datetime | None = Field(description="When the survey email was sent.")
    rating: int | None = Field(description=(
        "The 0–10 rating, given in a named survey only. Whether a confidential survey was "
        "answered is never given per ticket: with the group figures, it would tell one "
        "person's rating."))

    @staticmethod
    def resolve_service(obj: Ticket) -> str | None:
        return obj.service.slug if obj.service is not None else None

    @staticmethod
    def resolve_invited_at(obj: Ticket) -> datetime | None:
        return obj.invitation.sent_at if obj.invitation else None

    @staticmethod
    def resolve_rating(obj: Ticket) -> int | None:
        # A confidential survey's answers are only shown in aggregates: named ones only here.
        return queries.shown_rating(obj)


# The body is read by hand (one ticket or a batch, errors by path), so it is documented here.
TICKET_SCHEMA = TicketIn.model_json_schema()
BODY_DOC = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "oneOf": [TICKET_SCHEMA, {
        "title": "TicketBatchIn", "type": "object", "required": ["tickets"],
        "properties": {"tickets": {"type": "array", "maxItems": MAX_BATCH,
                                   "items": TICKET_SCHEMA}}}],
}}}}}


def _invalid(request: HttpRequest, message: str, details: list[dict[str, str]]):
    return error_response(request, 422, "validation_error", message, details)


@router.post("/tickets", response={201: TicketsReceivedOut}, auth=roles(SURVEY_MANAGERS),
             openapi_extra=BODY_DOC, operation_id=OPERATION_ID("receive_tickets"))
def receive_tickets(request: HttpRequest):
    """Report closed tickets: one ticket object, or `{"tickets": [...]}`.

    Every ticket is checked first; if any is wrong, nothing is recorded and the answer (422)
    lists each error with its path (`tickets.3.resolved_at`). Otherwise each new ticket gets
    its survey decision: sampling, fatigue and contact limits apply; `pending` tickets are
    emailed once the survey's delay after resolution has passed.
    """
    body = json_body(request)
    if isinstance(body, dict) and "tickets" in body:
        rows, prefix = body["tickets"], "tickets."
        if not isinstance(rows, list):
            return _invalid(request, "The request is not valid.",
                            [{"field": "tickets", "reason": "Expected a list of tickets."}])
        if len(rows) > MAX_BATCH:
            return _invalid(request, "The request is not valid.", [{
                "field": "tickets", "reason": f"At most {MAX_BATCH} tickets per request."}])
    elif isinstance(body, dict):
        rows, prefix = [body], ""
    else:
        return _invalid(request, "The request is not valid.", [{
            "field": "", "reason": "Expected a ticket object or {\"tickets\": [...]}."}])
    try:
        result = services.tickets_receive(rows)
    except TicketErrors as exc:
        details = [{"field": ".".join(part for part in (
                        f"{prefix}{e.index}" if prefix else "", e.field) if part),
                    "reason": e.reason} for e in exc.errors]
        return _invalid(request, "The tickets are not valid; none was recorded.", details)
    return Status(201, {"counts": result.counts(), "tickets": result.outcomes})


@router.get("/tickets", response=list[TicketOut], auth=roles(SURVEY_MANAGERS),
            operation_id=OPERATION_ID("list_tickets"))
@paginate(Pagination)
def list_tickets(request: HttpRequest, decision: str = "", service: str = ""):
    """Tickets received, the most recently resolved first; filter by survey decision
    (`pending`, `invited`, `not_sampled`…) or catalogue service identifier."""
    if decision and decision not in Ticket.Decision.values:
        raise Refusal(422, "The request is not valid.",
                      [{"field": "decision", "reason": "Use one of "
                        + ", ".join(Ticket.Decision.values) + "."}])
    return queries.tickets_filtered(decision=decision, service=service)


class TicketImportWarningOut(Schema):
    line: int = Field(description="The line in the file (the header is line 1).")
    column: str = Field(description="The column as the file names it; empty for the line.")
    reason: str


class TicketUnmappedOut(Schema):
    label: str = Field(description="The service or configuration item as the export names it.")
    tickets: int


class TicketImportReportOut(Schema):
    format: str = Field(description="ServiceNow, GLPI or Phare (generic, event logs).")
    rows_read: int = Field(description="Data rows in the file.")
    event_log: bool = Field(description="One row per update: reduced to each ticket's last "
                                        "state (`rows_read` rows became `tickets` tickets).")
    tickets: int = Field(description="Tickets read and received.")
    imported: int = Field(description="New tickets recorded.")
    counts: ReceivedCounts
    skipped: dict[str, int] = Field(description=(
        "Tickets left out, by reason: `open`, `cancelled`, `invalid` (a line with an error, "
        "see `warnings`), `duplicate`."))
    unmapped: list[TicketUnmappedOut] = Field(description=(
        "Labels no catalogue service names: the tickets are recorded with the label, to be "
        "mapped to a service later."))
    warnings: list[TicketImportWarningOut] = Field(description="The first 500, by line.")
    warning_count: int
    mapping: dict[str, str] = Field(description="Phare's field → the file's column.")
    date_order: str = Field(description="`dmy`, `mdy`, or empty when no date needed it.")


@router.post("/tickets/imports", response={201: TicketImportReportOut},
             auth=roles(SURVEY_MANAGERS), operation_id="tickets_import",
             summary="Import a ticket export")
def import_export(request: HttpRequest, file: File[UploadedFile], system: Form[str] = "auto",
                  strict: Form[bool] = False, date_order: Form[str] = ""):
    """Import a ServiceNow or GLPI export, an event log or Phare's own columns (CSV or .xlsx),
    as the web import and `phare import-tickets` do.

    Tickets that cannot be imported are left out and counted (`skipped`), each problem a
    warning with its line; labels not in the catalogue are listed (`unmapped`). 422 when the
    file is refused — nothing written: no usable header, a required column missing, dates
    that may be day-first or month-first (give `date_order`: `dmy` or `mdy`), or with
    `strict` any problem at all.
    """
    details = []
    if system not in ("auto", *SYSTEMS):
        details.append({"field": "system", "reason": "Choose one of: auto, "
                        + ", ".join(SYSTEMS) + "."})
    if date_order not in ("", *ORDERS):
        details.append({"field": "date_order", "reason": "Choose dmy or mdy."})
    # A received upload always has its size (the stubs allow None for any File).
    if cast(int, file.size) > settings.PHARE_MAX_IMPORT_BYTES:
        details.append({"field": "file", "reason": "The file is larger than the import limit."})
    if details:
        return _invalid(request, "The request is not valid.", details)
    try:
        report = services.import_tickets(file.read(), system=system, strict=strict,
                                         date_order=date_order, user=acting_user(request))
    except TicketImportError as exc:
        return _invalid(request, "The file was refused; nothing was imported.", [
            {"field": f"file: line {e.line}" + (f", column {e.column}" if e.column else ""),
             "reason": e.reason} for e in exc.errors])
    result = report.as_dict()
    return Status(201, {**result, "counts": report.counts})


# After /tickets/imports: the paths are matched in order, and this one takes any name.
@router.get("/tickets/{external_id}", response=TicketOut, auth=roles(SURVEY_MANAGERS),
            operation_id=OPERATION_ID("get_ticket"))
def get_ticket(request: HttpRequest, external_id: str):
    return get_object_or_404(queries.tickets_listed(), external_id=external_id)
