"""The usage API: adoption by group (``GET /usage/adoption``) and events in
(``POST /usage/events``). No endpoint returns one person's usage."""

from __future__ import annotations

import datetime as dt
from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from phare.accounts.apiauth import roles
from phare.accounts.roles import USAGE_MANAGERS, USAGE_VIEWERS
from phare.lib.api import ErrorOut, Refusal, error_response, json_body
from phare.usage import access, queries, services
from phare.usage.records import SOURCES

router = Router(tags=["usage"])

#: At most this many events in one request (a larger batch is split by the client).
MAX_EVENTS = 10_000


class AdoptionRowOut(Schema):
    key: str | None
    label: str
    # Descriptions name the metrics as the pages and the glossary do (phare.lib.metrics).
    active_users: int | None = Field(description="Active users: the people who used the "
                                     "service at least once in the month.")
    audience: int | None = Field(description="The people the catalogue says the service is "
                                 "for.")
    adoption_rate: float | None = Field(description="Adoption: active users ÷ audience, as a "
                                        "fraction from 0 to 1 (pages show it in percent).")
    low: float | None = Field(description="Adoption's interval (95 %, Wilson): low end.")
    high: float | None = Field(description="Adoption's interval (95 %, Wilson): high end.")
    suppressed: bool


class AdoptionOut(Schema):
    service: str
    month: str | None
    by: str
    within: str | None
    min_group: int
    total: AdoptionRowOut | None
    rows: list[AdoptionRowOut]
    months: list[str]


class EventsReceivedOut(Schema):
    rows_read: int
    imported: int
    replaced: int
    unchanged: int


EVENT_SCHEMA = {
    "type": "object", "required": ["person", "service", "event", "time"],
    "properties": {
        "person": {"type": "string", "description": "employee id or email"},
        "service": {"type": "string", "description": "a catalogue service identifier"},
        "event": {"type": "string"},
        "time": {"type": "string", "description": "ISO 8601 date or date-time"},
        "count": {"type": "integer", "minimum": 1},
        "duration": {"type": "number", "minimum": 0, "description": "seconds"}}}
EVENTS_DOC = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "title": "UsageEventsIn", "type": "object", "required": ["events"],
    "properties": {"events": {"type": "array", "maxItems": MAX_EVENTS, "minItems": 1,
                              "items": EVENT_SCHEMA}}}}}}}


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise Refusal(422, "The request is not valid.",
                      [{"field": "month", "reason": "Use YYYY-MM, e.g. 2026-05."}]) from None


@router.get("/usage/adoption", response={200: AdoptionOut, 404: ErrorOut},
            auth=roles(USAGE_VIEWERS), operation_id="usage_adoption")
def adoption(request: HttpRequest, service: str,
             by: Literal["unit", "site", "job_family"] = "unit", month: str = "",
             within: str = ""):
    """Adoption of a service in a month (default: the last month over that has usage): active
    users among the people the catalogue says it is for, by business unit (the sub-units of
    `within`, or the top units), site or job family, with a 95 % interval. Groups under the
    minimum size are `suppressed` and carry no figure (not even their audience)."""
    found = access.visible_services(request.user).filter(slug=service).first()
    if found is None:
        raise Refusal(404, "No such service.", [{"field": "service", "reason": "not found"}])
    if within and by != "unit":
        raise Refusal(422, "The request is not valid.",
                      [{"field": "within", "reason": "Only with by=unit."}])
    result = queries.adoption(found, by=by, month=_month(month) if month else None,
                              within=within or None)
    return {"service": found.slug, "by": result.by, "within": result.within,
            "month": result.month.strftime("%Y-%m") if result.month else None,
            "min_group": result.min_group,
            "total": result.total.as_dict() if result.total else None,
            "rows": [row.as_dict() for row in result.rows],
            "months": [m.strftime("%Y-%m") for m in result.months]}


def _invalid(request: HttpRequest, message: str, details: list[dict[str, str]]):
    return error_response(request, 422, "validation_error", message, details)


@router.post("/usage/events", response={201: EventsReceivedOut}, auth=roles(USAGE_MANAGERS),
             openapi_extra=EVENTS_DOC, operation_id="usage_events")
def receive_events(request: HttpRequest):
    """Record usage events: `{"events": [{"person", "service", "event", "time", "count"?,
    "duration"?}]}`. All or nothing: when any event is wrong, none is recorded and the answer
    (422) lists every error with its path (`events.3.time`). Sending the same events again
    changes nothing (events are kept per person, service, day and event name)."""
    body = json_body(request)
    items = body.get("events") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        return _invalid(request, "The request is not valid.", [{
            "field": "events", "reason": "Expected {\"events\": [...]} with at least one."}])
    if len(items) > MAX_EVENTS:
        return _invalid(request, "The request is not valid.", [{
            "field": "events", "reason": f"At most {MAX_EVENTS} events per request."}])
    if not all(isinstance(item, dict) for item in items):
        return _invalid(request, "The request is not valid.", [
            {"field": f"events.{i}", "reason": "Expected an object."}
            for i, item in enumerate(items) if not isinstance(item, dict)])
    try:
        report = services.import_event_items(items, user=request.user)
    except services.UsageImportFailed as exc:
        details = [{"field": f"events.{e.line - 1}.{e.column}" if e.column
                    else f"events.{e.line - 1}", "reason": e.reason} for e in exc.errors]
        return _invalid(request, "The events are not valid; none was recorded.", details)
    return Status(201, {"rows_read": report.rows_read, "imported": report.imported,
                        "replaced": report.replaced, "unchanged": report.unchanged})


class UnmatchedOut(Schema):
    line: int
    identifier: str
    reason: str


class ImportOut(Schema):
    import_id: int | None
    source: str
    rows_read: int
    imported: int
    replaced: int
    unchanged: int
    unmatched: int
    refused: int
    licences: int
    seats: int
    tenant_counts: int
    concealed: bool
    skipped: dict[str, int]
    unmatched_rows: list[UnmatchedOut]


@router.post("/usage/imports", response={201: ImportOut}, auth=roles(USAGE_MANAGERS),
             operation_id="usage_import", summary="Import a usage file")
def import_file(request: HttpRequest, file: File[UploadedFile], source: Form[str] = "auto",
                period_days: Form[int] = 0):
    """Import a usage file: a Microsoft 365 usage report (CSV as the admin centre or the Graph
    reports API gives it), events (CSV or Parquet), or licences and seats (CSV: `service` and
    `person`, or `service`, `seats`, `cost_per_seat`, `currency`). `source` is detected from
    the headers unless given; `period_days` (7, 30, 90, 180) when the report does not say it.

    All or nothing: 422 lists every problem with its place (`line 12, column time`). 201
    answers the counts, the people matched to no one in the directory (the first 100, with
    their line) and why rows were left aside. Importing the same file again changes nothing.
    """
    details = []
    if source not in ("auto", *SOURCES):
        details.append({"field": "source", "reason": "Choose one of: auto, "
                        + ", ".join(SOURCES) + "."})
    if period_days not in (0, 7, 30, 90, 180):
        details.append({"field": "period_days", "reason": "Choose 7, 30, 90 or 180."})
    # A received upload always has its size (the stubs allow None for any File).
    if cast(int, file.size) > settings.PHARE_MAX_IMPORT_BYTES:
        details.append({"field": "file", "reason": "The file is larger than the import limit."})
    if details:
        return _invalid(request, "The request is not valid.", details)
    try:
        report = services.import_usage(file.read(), file_name=file.name or "", source=source,
                                       period_days=period_days or None, user=request.user)
    except services.UsageImportFailed as exc:
        return _invalid(request, "The file is not valid; nothing was imported.", [
            {"field": f"file: line {e.line}" + (f", column {e.column}" if e.column else ""),
             "reason": e.reason} for e in exc.errors])
    return Status(201, report.as_dict())
