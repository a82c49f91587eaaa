"""From an export's table to the tickets the API takes, with an honest account of the rest.

Every ticket that can be read is kept; the others are counted by reason: open (no resolution
nor closing date), cancelled, a line with an error (each a warning by line and column), a
ticket listed twice. A service or configuration item that no catalogue service (nor a saved
alias) names keeps its label and is counted as unmapped. Only what makes the whole file
unusable refuses it: no header Phare can use, a required column missing, dates whose order
cannot be told. ``strict`` refuses the file on any of these problems instead, as imports did
before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from phare.lib.imports import RowError
from phare.tickets import intake
from phare.tickets.imports import events
from phare.tickets.imports.columns import (
    FIELDS,
    SYSTEM_NAMES,
    Proposal,
    apply_names,
    day_first_by_language,
    normalise,
    propose_mapping,
    signature,
)
from phare.tickets.imports.dates import DMY, MDY, Conflict, decide_order, is_ambiguous, parse
from phare.tickets.imports.table import Table, TicketImportError, read_table

DATE_FIELDS = ("opened_at", "resolved_at", "closed_at", "updated_at")

# Channel values as the ITSMs write them (normalised), and Phare's channel.
CHANNELS = {
    "portal": "portal", "self_service": "portal", "service_portal": "portal",
    "helpdesk": "portal", "web": "portal", "portail": "portal", "libre_service": "portal",
    "portail_libre_service": "portal", "portal_de_autoservicio": "portal",
    "selfservice": "portal", "autoservicio": "portal",
    "self_service_portal": "portal", "portale": "portal", "portal_de_autoatendimento": "portal",
    "portale_self_service": "portal",
    "phone": "phone", "telephone": "phone", "telefono": "phone", "telefon": "phone",
    "telefone": "phone",
    "email": "email", "e_mail": "email", "mail": "email", "courriel": "email",
    "chat": "chat", "virtual_agent": "chat", "agent_virtuel": "chat",
    "walk_in": "walk_in", "direct": "walk_in", "guichet": "walk_in",
    "en_personne": "walk_in", "in_person": "walk_in", "presencial": "walk_in",
}
#: Values that name no channel of Phare's: the ticket is kept without one.
NO_CHANNEL = {"other", "autre", "written", "ecrit", "monitoring", "event", "alert", "api",
              "otro", "outro", "altro", "andere"}
#: ServiceNow's numeric incident states (6 resolved, 7 closed, 8 cancelled) read as words.
STATE_CODES = {"6": "resolved", "7": "closed", "8": "cancelled"}


class DateOrderUndecided(TicketImportError):
    """Every numeric date of the file could be day-first or month-first: the person says
    which (``columns`` are the file's date columns, ``example`` one such date)."""

    def __init__(self, columns: list[str], example: str) -> None:
        self.columns, self.example = columns, example
        super().__init__([RowError(1, ", ".join(columns), gettext(
            "the dates (such as “%(example)s”) may be read day-first or month-first, and no "
            "date of the file tells which: say which with the date order, dmy (day first) or "
            "mdy (month first)") % {"example": example})])


@dataclass
class Export:
    """An export read: its tickets as the API takes them (with the file's line and column
    names of each), and what was left out and why."""

    format: str
    mapping: dict[str, str]
    date_order: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    origins: list[dict[str, str]] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)
    rows_read: int = 0
    event_log: bool = False

    @property
    def format_name(self) -> str:
        return SYSTEM_NAMES.get(self.format, self.format)


def mapping_for(table: Table, *, system: str = "auto",
                columns: Mapping[str, str] | None = None) -> Proposal:
    """The mapping to read ``table`` with: Phare's proposal, or the columns given (a person's
    choice, a saved mapping)."""
    proposal = propose_mapping(table.header, system)
    return apply_names(proposal, columns) if columns else proposal


def date_order_of(table: Table, proposal: Proposal) -> tuple[str | None, str]:
    """The file's date order, decided from every date (else the labels' language), and an
    ambiguous example when it stays undecided ("" when no date is ambiguous: no need to
    decide). Raises :class:`TicketImportError` when dates say both."""
    positions = [proposal.columns[key] for key in DATE_FIELDS if key in proposal.columns]
    values = [cells[p] for _line, cells in table.rows for p in positions if p < len(cells)]
    try:
        order = decide_order(values)
    except Conflict as exc:
        names = ", ".join(proposal.header[p] for p in positions)
        raise TicketImportError([RowError(1, names, gettext(
            "the dates are written both day-first (“%(day)s”) and month-first (“%(month)s”)"
        ) % {"day": exc.examples[0], "month": exc.examples[1]})]) from None
    example = next((v for v in values if is_ambiguous(v)), "")
    if order is None and example and day_first_by_language(proposal.language):
        order = DMY
    return order, example if order is None else ""


def _refuse_missing(proposal: Proposal) -> TicketImportError:
    names = {"external_id": gettext("the ticket number"), "opened_at": gettext(
        "the opening date"), "resolved_at": gettext("the resolution (or closing) date")}
    return TicketImportError([RowError(1, "", gettext(
        "no column holds %(fields)s: this is not a ticket export Phare can read as it is "
        "(a ServiceNow export names its columns number, opened_at, resolved_at or Number, "
        "Opened, Resolved; a GLPI export ID, Opening date, Resolution date); choose the "
        "columns on the import page") % {
            "fields": ", ".join(str(names[key]) for key in proposal.missing)})])


#: Looks up what a person chose for a header's shape: (columns, date order), or None.
Remembered = Callable[[str], "tuple[dict[str, str], str] | None"]


def read_export(data: bytes, *, system: str = "auto", strict: bool = False,
                date_order: str = "", columns: Mapping[str, str] | None = None,
                services: Mapping[str, str] | None = None,
                remembered: Remembered | None = None) -> Export:
    """Read a ticket export; raises :class:`TicketImportError` when the file is refused
    (``strict``: on any problem at all). ``services`` maps normalised labels to catalogue
    service identifiers (:func:`phare.tickets.queries.service_index`); without ``columns``,
    ``remembered`` gives those chosen before for a header of the same shape."""
    table = read_table(data)
    if not columns and remembered is not None:
        found = remembered(signature(table.header))
        if found is not None:
            columns, date_order = found[0], date_order or found[1]
    proposal = mapping_for(table, system=system, columns=columns)
    if proposal.missing:
        raise _refuse_missing(proposal)
    order, example = date_order_of(table, proposal)
    if date_order in (DMY, MDY):
        order = date_order
    elif example:
        raise DateOrderUndecided([proposal.header[proposal.columns[key]] for key in DATE_FIELDS
                                  if key in proposal.columns], example)
    reader = _Reader(proposal, order, services or {}, strict)
    export = Export(format=proposal.system, mapping=proposal.names(), date_order=order or "",
                    rows_read=len(table.rows))
    if table.unreadable is not None:
        reader.warn(table.unreadable, "", gettext(
            "this line cannot be read (an unclosed quote?): it and the lines after it are "
            "left out"))
    records = [reader.record(line, cells) for line, cells in table.rows]
    if not records:
        raise TicketImportError([RowError(2, "", gettext("the file lists no ticket"))])
    ids = Counter(record["external_id"] for record in records if record["external_id"])
    export.event_log = any(n > 1 for n in ids.values()) and (
        "updated_at" in proposal.columns or "state" in proposal.columns)
    if export.event_log:
        records = events.reduce(records, lambda value: parse(value, order))
    seen: dict[str, int] = {}
    for record in records:
        external_id = record["external_id"]
        if external_id in seen:
            reader.warn(record["line"], reader.name("external_id"), gettext(
                "the ticket %(id)s is also on line %(line)d: this line is left out") % {
                    "id": external_id, "line": seen[external_id]})
            export.skipped["duplicate"] += 1
            continue
        if external_id:
            seen[external_id] = record["line"]
        reader.ticket(record, export)
    _check(export, reader)
    export.warnings = reader.warnings
    if strict and reader.warnings:
        raise TicketImportError(reader.warnings)
    if not export.rows and reader.warnings:
        raise TicketImportError(reader.warnings)
    if not export.rows:
        raise TicketImportError([RowError(2, "", gettext(
            "none of the %(count)d tickets of the file is resolved or closed: there is "
            "nothing to import") % {"count": sum(export.skipped.values())})])
    return export


def _check(export: Export, reader: _Reader) -> None:
    """Check the rows as the API does; a row with an error is left out, each error a
    warning on the row's line."""
    _checked, found = intake.tickets_check(export.rows)
    wrong = {error.index for error in found}
    for error in found:
        column = export.origins[error.index].get(error.field, error.field)
        reader.warn(export.lines[error.index], column, error.reason)
    for index in sorted(wrong, reverse=True):
        label = export.rows[index].get("service_label", "")
        if label and not export.rows[index].get("service"):
            export.unmapped[label] -= 1
            if export.unmapped[label] <= 0:
                del export.unmapped[label]
        del export.rows[index], export.lines[index], export.origins[index]
    export.skipped["invalid"] += len(wrong)


class _Reader:
    """Reads each record of the file into a ticket row, noting what it leaves out."""

    def __init__(self, proposal: Proposal, order: str | None, services: Mapping[str, str],
                 strict: bool) -> None:
        self.proposal, self.order, self.services, self.strict = (
            proposal, order, services, strict)
        self.warnings: list[RowError] = []

    def name(self, key: str) -> str:
        position = self.proposal.columns.get(key)
        return self.proposal.header[position] if position is not None else ""

    def warn(self, line: int, column: str, reason: str) -> None:
        self.warnings.append(RowError(line, column, reason))

    def record(self, line: int, cells: list[str]) -> dict[str, Any]:
        record: dict[str, Any] = {"line": line}
        for key in FIELDS:
            position = self.proposal.columns.get(key)
            record[key] = (cells[position].strip() if position is not None
                           and position < len(cells) else "")
        record["external_id"] = re.sub(r"\s+", "", record["external_id"])
        return record

    def when(self, record: dict[str, Any], key: str) -> tuple[Any, bool]:
        """The moment in ``key`` (None when empty), and whether it was readable."""
        raw = record.get(key, "")
        if isinstance(raw, str) and raw:
            moment = parse(raw, self.order)
            if moment is None:
                self.warn(record["line"], self.name(key), gettext(
                    "“%s” is not a date and time such as 2025-03-12 09:15 or 12/03/2025 "
                    "09:15") % raw)
                return None, False
            return moment, True
        return raw or None, True  # an event log's derived moment, or nothing

    def ticket(self, record: dict[str, Any], export: Export) -> None:
        line = record["line"]
        state = normalise(STATE_CODES.get(record.get("state", ""), record.get("state", "")))
        if export.event_log and state in events.CANCELLED:
            export.skipped["cancelled"] += 1
            return
        if export.event_log and record.get("state") and state not in events.RESOLVED:
            export.skipped["open"] += 1
            return
        opened, opened_ok = self.when(record, "opened_at")
        resolved_key = "resolved_at" if record.get("resolved_at") else "closed_at"
        resolved, resolved_ok = self.when(record, resolved_key)
        channel = self.channel(line, record.get("channel", ""))
        label_key = "service" if record.get("service") else "ci"
        label = record.get(label_key, "")[:200]
        slug = self.services.get(normalise(label), "") if label else ""
        if label and not slug and self.strict:
            self.warn(line, self.name(label_key), gettext(
                "no catalogue service has the identifier or name “%s”") % label)
        if not (opened_ok and resolved_ok):
            export.skipped["invalid"] += 1
            return
        if resolved is None:
            if self.strict:
                self.warn(line, self.name("resolved_at") or self.name("closed_at"), gettext(
                    "the ticket has no resolution date (nor a closing date)"))
            export.skipped["open"] += 1
            return
        row: dict[str, Any] = {"external_id": record["external_id"], "opened_at": opened,
                               "resolved_at": resolved, "channel": channel,
                               "service": slug, "service_label": label}
        origin = {key: self.name(key) for key in self.proposal.columns}
        origin["resolved_at"] = self.name(resolved_key)
        origin["service"] = origin["service_label"] = self.name(label_key)
        for key in ("subject", "category", "assignment_group", "requester_employee_id",
                    "requester_email", "reassignment_count"):
            row[key] = record.get(key, "")
        requester = record.get("requester", "")
        if requester and not (row["requester_email"] or row["requester_employee_id"]):
            target = "requester_email" if "@" in requester else "requester_employee_id"
            row[target], origin[target] = requester, self.name("requester")
        row["subject"] = row["subject"][:intake.MAX_LENGTHS["subject"]]
        if label and not slug:
            export.unmapped[label] += 1
        export.rows.append(row)
        export.lines.append(line)
        export.origins.append(origin)

    def channel(self, line: int, raw: str) -> str:
        key = normalise(raw)
        if not raw or key in NO_CHANNEL:
            return ""
        if key in CHANNELS:
            return CHANNELS[key]
        self.warn(line, self.name("channel"), gettext(
            "unknown channel “%(value)s”: the ticket is kept without one (Phare knows portal, "
            "phone, email, chat and walk-in, by the names the ITSMs give them)") % {
                "value": raw})
        return ""
