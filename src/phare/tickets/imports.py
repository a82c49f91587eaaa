"""Importing closed tickets from an ITSM's CSV export: ServiceNow, GLPI, or Phare's own columns.

The format is recognised from the header: ServiceNow exports name ``number`` and ``opened_at``
(or their labels "Number", "Opened"), GLPI exports ``ID`` and "Date d'ouverture" / "Opening
date", Phare's own file the API's field names (``external_id``, ``opened_at``…). Columns Phare
does not use are ignored. Encoding and separator are whatever Excel or the ITSM wrote (see
:mod:`phare.lib.csvtext`); GLPI writes Windows-1252 with semicolons.

Dates are read as ``2025-03-12 09:15[:42]``, ``12-03-2025 09:15``, ``12/03/2025 09:15`` (day
first) or ISO 8601, in Phare's time zone unless they carry an offset. A ticket resolves when it
was resolved, else when it was closed. The requester is found by employee id, else by email;
a "caller" or "requester" column holding an address is read as the email, otherwise as the
employee id. A service is a catalogue service's identifier or name.

Every line is checked first (:func:`read_export`, :func:`check_export`) and every error reported
with its line and column; if there is one, nothing is written. Then
:func:`phare.tickets.services.import_tickets` receives the tickets exactly as those the API
receives (sampling, fatigue, contact pressure; tickets received before are left as they were).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from phare.catalog.models import Service
from phare.lib import csvtext
from phare.lib.imports import ImportFailed, RowError
from phare.tickets import intake


class TicketImportError(ImportFailed):
    """The file has errors and nothing was written; ``errors`` lists every one, by line."""

    order = staticmethod(lambda error: error.line)


def normalise(word: str) -> str:
    """Lower case, no accents, runs of spaces, hyphens and underscores as one "_"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word)
                    if not unicodedata.combining(c))
    return re.sub(r"[\s\-_]+", "_", plain.strip().lower().replace("’", "'"))


# For each format: Phare's field → the column names that hold it, the preferred first.
# "requester" holds an email or an employee id; "closed_at" stands in for a missing resolution.
COLUMN_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "servicenow": {
        "external_id": ("number", "Numéro"),
        "opened_at": ("opened_at", "Opened", "Ouvert"),
        "resolved_at": ("resolved_at", "Resolved", "Résolu"),
        "closed_at": ("closed_at", "Closed", "Fermé"),
        "channel": ("contact_type", "Channel", "Contact type", "Canal"),
        "subject": ("short_description", "Short description", "Description courte"),
        "category": ("category", "Category", "Catégorie"),
        "assignment_group": ("assignment_group", "Assignment group", "Groupe d'affectation"),
        "reassignment_count": ("reassignment_count", "Reassignment count",
                               "Nombre de réaffectations"),
        "requester_employee_id": ("u_requester_employee_id", "caller_id.employee_number",
                                  "Caller.Employee number"),
        "requester_email": ("caller_id.email", "Caller.Email", "u_requester_email"),
        "requester": ("caller_id", "Caller", "Appelant", "opened_for"),
        "service": ("u_catalog_service", "business_service", "Service", "service_offering",
                    "Service offering", "cmdb_ci", "Configuration item"),
    },
    "glpi": {
        "external_id": ("ID",),
        "opened_at": ("Date d'ouverture", "Opening date"),
        "resolved_at": ("Date de résolution", "Resolution date"),
        "closed_at": ("Date de clôture", "Closing date"),
        "channel": ("Source de la demande", "Request source"),
        "subject": ("Titre", "Title"),
        "category": ("Catégorie", "Category"),
        "assignment_group": ("Groupe technicien", "Technician group", "Attribué à - Groupe",
                             "Assigned to - Group"),
        "requester_employee_id": ("Demandeur - Matricule", "Requester - Administrative number"),
        "requester_email": ("Demandeur - Adresse de messagerie", "Demandeur - Courriel",
                            "Requester - Email", "Requester - Email address"),
        "requester": ("Demandeur - Demandeur", "Requester - Requester", "Demandeur",
                      "Requester"),
        "service": ("Service",),
    },
    "phare": {name: (name,) for name in intake.ROW_FIELDS},
}
#: The same, normalised (see :func:`normalise`), as headers are compared.
FORMATS = {fmt: {key: tuple(normalise(name) for name in names) for key, names in columns.items()}
           for fmt, columns in COLUMN_NAMES.items()}
FORMAT_NAMES = {"servicenow": "ServiceNow", "glpi": "GLPI", "phare": "Phare"}
REQUIRED = ("external_id", "opened_at")

# Channel values as the ITSMs write them (normalised), and Phare's channel.
CHANNELS = {
    "portal": "portal", "self_service": "portal", "service_portal": "portal",
    "helpdesk": "portal", "web": "portal", "portail": "portal", "libre_service": "portal",
    "phone": "phone", "telephone": "phone",
    "email": "email", "e_mail": "email", "mail": "email", "courriel": "email",
    "chat": "chat", "virtual_agent": "chat", "agent_virtuel": "chat",
    "walk_in": "walk_in", "direct": "walk_in", "guichet": "walk_in",
    "en_personne": "walk_in", "in_person": "walk_in",
}
#: Values that name no channel of Phare's: the ticket is kept without one.
NO_CHANNEL = {"other", "autre", "written", "ecrit", "monitoring", "event", "alert", "api"}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M",
                "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")


@dataclass
class ImportReport:
    """What an import did: the format recognised, the tickets read and the decisions taken."""

    format: str = ""
    tickets: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"format": FORMAT_NAMES.get(self.format, self.format), "tickets": self.tickets,
                **self.counts}


def _detect(names: list[str]) -> str | None:
    present = set(names)
    for name, columns in FORMATS.items():
        if all(any(alias in present for alias in columns[key]) for key in REQUIRED):
            return name
    return None


def _columns(fmt: str, names: list[str]) -> dict[str, int]:
    """Phare's field → position of the column holding it (the first alias present wins)."""
    positions = {}
    for position, name in reversed(list(enumerate(names))):
        positions[name] = position  # reversed: a repeated column counts once, the first
    return {key: positions[alias] for key, aliases in FORMATS[fmt].items()
            for alias in reversed(aliases) if alias in positions}


def _when(value: str) -> dt.datetime | None:
    value = value.strip()
    for pattern in DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, pattern)
            break
        except ValueError:
            continue
    else:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _service_slugs() -> dict[str, str]:
    """Catalogue services by identifier and by name (either language), case ignored."""
    found: dict[str, str] = {}
    for slug, name_fr, name_en in Service.objects.values_list("slug", "name_fr", "name_en"):
        for key in (name_en, name_fr, slug):
            if key:
                found[key.strip().lower()] = slug
    return found


class _Reader:
    """Turns the file's records into the rows :func:`intake.tickets_check` takes."""

    def __init__(self, fmt: str, header: list[str], names: list[str]) -> None:
        self.fmt, self.header = fmt, header
        self.columns = _columns(fmt, names)
        self.services = _service_slugs() if "service" in self.columns else {}
        self.errors: list[RowError] = []

    def name(self, key: str) -> str:
        return self.header[self.columns[key]].strip()

    def read(self, line: int, fields: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
        """The row, and the file's column name for each field (to report errors by)."""
        def value(key: str) -> str:
            position = self.columns.get(key)
            return fields[position].strip() if position is not None and position < len(
                fields) else ""

        row: dict[str, Any] = {}
        origin = {key: self.name(key) for key in self.columns}
        row["external_id"] = re.sub(r"\s+", "", value("external_id"))
        for key in ("subject", "category", "assignment_group", "requester_employee_id",
                    "requester_email"):
            row[key] = value(key)
        if value("requester") and not (row["requester_email"] or row["requester_employee_id"]):
            target = "requester_email" if "@" in value("requester") else "requester_employee_id"
            row[target], origin[target] = value("requester"), self.name("requester")
        row["reassignment_count"] = value("reassignment_count")
        resolved_key = ("closed_at" if not value("resolved_at") and "closed_at" in self.columns
                        else "resolved_at")
        for key, source in (("opened_at", "opened_at"), ("resolved_at", resolved_key)):
            raw = value(source)
            origin[key] = self.name(source)
            if not raw:
                if key == "resolved_at":
                    self.fail(line, origin[key], gettext(
                        "the ticket has no resolution date (nor a closing date)"))
                row[key] = None if key == "opened_at" else ""
                continue
            row[key] = _when(raw)
            if row[key] is None:
                self.fail(line, origin[key], gettext(
                    "“%s” is not a date and time such as 2025-03-12 09:15 or 12-03-2025 09:15")
                    % raw)
        row["channel"] = self.channel(line, value("channel"))
        row["service"] = self.service(line, value("service"))
        return row, origin

    def channel(self, line: int, raw: str) -> str:
        key = normalise(raw)
        if not raw or key in NO_CHANNEL:
            return ""
        if key in CHANNELS:
            return CHANNELS[key]
        self.fail(line, self.name("channel"), gettext(
            "unknown channel “%(value)s”; known values: %(values)s") % {
            "value": raw, "values": ", ".join(sorted(CHANNELS) + sorted(NO_CHANNEL))})
        return ""

    def service(self, line: int, raw: str) -> str:
        if not raw:
            return ""
        slug = self.services.get(raw.lower())
        if slug is None:
            self.fail(line, self.name("service"), gettext(
                "no catalogue service has the identifier or name “%s”") % raw)
            return ""
        return slug

    def fail(self, line: int, column: str, reason: str) -> None:
        self.errors.append(RowError(line, column, reason))


@dataclass
class Export:
    """A ticket export read: its format, the rows as the API takes them, the file's line and
    column names of each (to report errors by), and the errors found while reading."""

    format: str
    rows: list[dict[str, Any]]
    lines: list[int]
    origins: list[dict[str, str]]
    errors: list[RowError]

    def row_errors(self, errors: Sequence[intake.TicketError]) -> list[RowError]:
        """Errors on rows, in the file's terms: line and column name."""
        return [RowError(self.lines[e.index], self.origins[e.index].get(e.field, e.field),
                         e.reason) for e in errors]


def read_export(data: bytes) -> Export:
    """Read a ticket export (no check of the values yet); raises :class:`TicketImportError`
    when the file itself cannot be read as one."""
    try:
        text = csvtext.decode(data)
    except csvtext.TextError as exc:
        raise TicketImportError([RowError(exc.line, "", exc.reason)]) from None
    records = csvtext.records(text)
    first = next(records, None)
    if first is not None and first[1] is None:
        raise TicketImportError([RowError(1, "", gettext(
            "the header cannot be read (an unclosed quote?)"))])
    header = first[1] if first is not None else None
    if header is None or not any(v.strip() for v in header):
        raise TicketImportError([RowError(1, "", gettext("the file is empty"))])
    names = [normalise(name) for name in header]
    fmt = _detect(names)
    if fmt is None:
        raise TicketImportError([RowError(1, "", gettext(
            "this is not a ticket export Phare knows: a ServiceNow export names the columns "
            "number and opened_at, a GLPI export ID and Date d'ouverture (or Opening date), "
            "Phare's own file external_id, opened_at and resolved_at"))])
    reader = _Reader(fmt, header, names)
    if "resolved_at" not in reader.columns and "closed_at" not in reader.columns:
        raise TicketImportError([RowError(1, "", gettext(
            "the export has no resolution date column (%s)") % ", ".join(
            COLUMN_NAMES[fmt]["resolved_at"] + COLUMN_NAMES[fmt].get("closed_at", ())))])
    rows, lines, origins = [], [], []
    for line, fields in records:
        if fields is None:
            reader.fail(line, "", gettext("this line cannot be read (an unclosed quote?)"))
            break
        if not any(v.strip() for v in fields):
            continue
        row, origin = reader.read(line, fields)
        rows.append(row)
        lines.append(line)
        origins.append(origin)
    if not rows and not reader.errors:
        raise TicketImportError([RowError(2, "", gettext("the file lists no ticket"))])
    return Export(format=fmt, rows=rows, lines=lines, origins=origins, errors=reader.errors)


def check_export(export: Export) -> None:
    """Check every row as the API would; raises :class:`TicketImportError` listing every error
    of the file (the reader's own reason stands for a value it could not read)."""
    errors = list(export.errors)
    reported = {(e.line, e.column) for e in errors}
    _checked, found = intake.tickets_check(export.rows)
    for error in export.row_errors(found):
        if (error.line, error.column) not in reported:
            errors.append(error)
    if errors:
        raise TicketImportError(errors)
