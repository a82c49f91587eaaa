"""Closed tickets as the ITSM reports them (API or CSV import): every value read and checked,
the requester found in the directory — no write (:func:`phare.tickets.services.tickets_receive`
records what passes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from phare.catalog.models import Service
from phare.directory.models import Person
from phare.tickets.models import Ticket

ROW_FIELDS = ("external_id", "subject", "service", "service_label", "category", "channel",
              "opened_at", "resolved_at", "assignment_group", "reassignment_count",
              "requester_employee_id", "requester_email")
MAX_LENGTHS = {"external_id": 80, "subject": 200, "service_label": 200, "category": 120,
               "assignment_group": 120, "requester_employee_id": 40, "requester_email": 254}
MAX_REASSIGNMENTS = 32767


@dataclass(frozen=True, slots=True)
class TicketError:
    """One refused value: the row's position in the batch (from 0), the field and why."""

    index: int
    field: str
    reason: str


class TicketErrors(ValueError):
    """Tickets that cannot be received; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: Sequence[TicketError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.index}.{e.field}: {e.reason}" for e in self.errors))


@dataclass(slots=True)
class CheckedTicket:
    """A reported ticket whose every value was checked; ``person`` may be None (unknown)."""

    index: int
    external_id: str
    subject: str
    service: Service | None
    service_label: str
    category: str
    channel: str
    opened_at: dt.datetime
    resolved_at: dt.datetime
    assignment_group: str
    reassignment_count: int
    requester_employee_id: str
    requester_email: str
    person: Person | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(_("Expected text."))
    return str(value).strip()


def _when(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    parsed: dt.datetime | None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(_("Expected a date and time such as 2025-03-12T09:15:00+01:00."))
    else:
        raise ValueError(_("Expected a date and time such as 2025-03-12T09:15:00+01:00."))
    # A time without its offset is read in Phare's time zone (the ITSM's usually).
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _count(value: Any) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(_("Expected a whole number."))
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError(_("Expected a whole number."))
    if not 0 <= value <= MAX_REASSIGNMENTS:
        raise ValueError(_("Expected a number from 0 to %d.") % MAX_REASSIGNMENTS)
    return value


def chunks(values: Iterable[Any], size: int = 5000) -> Iterable[list[Any]]:
    """Lists of at most ``size`` values: a query's parameters stay under SQLite's limit."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def tickets_check(rows: Sequence[Mapping[str, Any]]) -> tuple[list[CheckedTicket],
                                                               list[TicketError]]:
    """Check every row (no write): the tickets as they will be recorded, and every error."""
    errors: list[TicketError] = []
    values: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors.append(TicketError(index, "", _("Expected an object.")))
            values.append({})
            continue
        for key in row:
            if key not in ROW_FIELDS:
                errors.append(TicketError(index, str(key), _("Unknown field; the fields are: "
                                                             "%s.") % ", ".join(ROW_FIELDS)))
        values.append(_check_values(index, row, errors))
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        external_id = value.get("external_id")
        if external_id in seen:
            errors.append(TicketError(index, "external_id", _(
                "This ticket is also at position %d of the batch.") % seen[external_id]))
        elif external_id:
            seen[external_id] = index
    slugs = {v["service"] for v in values if v.get("service")}
    found = {s.slug: s for s in Service.objects.filter(slug__in=slugs)}
    checked: list[CheckedTicket] = []
    for index, value in enumerate(values):
        slug = value.get("service")
        if slug and slug not in found:
            errors.append(TicketError(index, "service", _(
                "No catalogue service has the identifier “%s”.") % slug))
        if len(value) == len(ROW_FIELDS):
            checked.append(CheckedTicket(index=index, person=None, **{
                **value, "service": found.get(slug) if slug else None}))
    _find_requesters(checked)
    return checked, sorted(errors, key=lambda e: e.index)


def _check_values(index: int, row: Mapping[str, Any], errors: list[TicketError]) -> dict:
    out: dict[str, Any] = {}

    def read(name: str, convert) -> None:
        try:
            out[name] = convert(row.get(name))
        except ValueError as exc:
            errors.append(TicketError(index, name, str(exc)))

    for name in ("external_id", "subject", "service", "service_label", "category", "channel",
                 "assignment_group", "requester_employee_id", "requester_email"):
        read(name, _text)
    read("opened_at", _when)
    read("resolved_at", _when)
    read("reassignment_count", _count)
    for name, limit in MAX_LENGTHS.items():
        if len(out.get(name) or "") > limit:
            errors.append(TicketError(index, name, _("At most %d characters.") % limit))
            out.pop(name)
    if "external_id" in out and not out["external_id"]:
        errors.append(TicketError(index, "external_id", _("The ticket id is required.")))
        out.pop("external_id")
    if out.get("channel") and out["channel"] not in Ticket.Channel.values:
        errors.append(TicketError(index, "channel", _("Unknown channel “%(value)s”: use one "
                                                      "of %(values)s.") % {
            "value": out.pop("channel"), "values": ", ".join(Ticket.Channel.values)}))
    if out.get("requester_email"):
        try:
            validate_email(out["requester_email"])
        except ValidationError:
            errors.append(TicketError(index, "requester_email", _("Not an email address.")))
            out.pop("requester_email")
    for name in ("opened_at", "resolved_at"):
        if name in out and out[name] is None:
            errors.append(TicketError(index, name, _("This date is required.")))
            out.pop(name)
    if out.get("opened_at") and out.get("resolved_at") and out["resolved_at"] < out["opened_at"]:
        errors.append(TicketError(index, "resolved_at", _(
            "The ticket is resolved before it was opened.")))
    return out


def _find_requesters(checked: list[CheckedTicket]) -> None:
    """Each ticket's requester: an active person by employee id, else by email."""
    ids = {t.requester_employee_id for t in checked if t.requester_employee_id}
    emails = {t.requester_email.lower() for t in checked if t.requester_email}
    active = Person.objects.filter(active=True).select_related(
        "business_unit", "site", "job_family")
    by_id = {p.employee_id: p for chunk in chunks(ids)
             for p in active.filter(employee_id__in=chunk)}
    by_email: dict[str, Person] = {}
    for chunk in chunks(emails):
        for person in active.annotate(lower_email=Lower("email")).filter(
                lower_email__in=chunk).order_by("employee_id"):
            by_email.setdefault(person.lower_email, person)
    for ticket in checked:
        ticket.person = (by_id.get(ticket.requester_employee_id)
                         or by_email.get(ticket.requester_email.lower()))
