"""Importing closed tickets from an ITSM's export: ServiceNow, GLPI, an event log, or Phare's
own columns, as CSV (any encoding and separator Excel or the ITSM writes) or an Excel workbook.

The steps, each in its module: the file as a table of text with each row's line
(:mod:`.table`); which column holds which field, recognised from the systems' field names and
their labels in six languages, or as a person chose (:mod:`.columns`); the order of numeric
dates, decided for the whole file (:mod:`.dates`); event logs reduced to each ticket's last
state (:mod:`.events`); the tickets as the API takes them, and what was left out and why
(:mod:`.reading`). :func:`phare.tickets.services.import_tickets` then receives the tickets
exactly as the API does (sampling, fatigue, contact pressure; tickets received before are
left as they were) and returns the :class:`ImportReport`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from phare.lib.imports import RowError
from phare.tickets.imports.columns import (
    FIELDS,
    SYSTEM_NAMES,
    SYSTEMS,
    Proposal,
    normalise,
    propose_mapping,
)
from phare.tickets.imports.dates import DMY, MDY, ORDERS
from phare.tickets.imports.reading import (
    DateOrderUndecided,
    Export,
    date_order_of,
    mapping_for,
    read_export,
)
from phare.tickets.imports.table import Table, TicketImportError, read_table

__all__ = ["DMY", "JOB_KIND", "FIELDS", "MDY", "ORDERS", "SYSTEMS", "DateOrderUndecided", "Export",
           "ImportReport", "Proposal", "Table", "TicketImportError", "date_order_of",
           "mapping_for", "normalise", "propose_mapping", "read_export", "read_table"]

#: The background job that imports an export uploaded from the web.
JOB_KIND = "tickets.import"
#: The most warnings a report keeps (a job's result is stored as JSON on its row).
MAX_WARNINGS = 500


@dataclass
class ImportReport:
    """What an import did: the format recognised, the tickets read and received, and what was
    left out: skipped by reason, services not in the catalogue, warnings by line."""

    format: str = ""
    tickets: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    event_log: bool = False
    skipped: dict[str, int] = field(default_factory=dict)
    unmapped: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    date_order: str = ""

    @property
    def imported(self) -> int:
        return self.counts.get("received", 0)

    def as_dict(self) -> dict[str, Any]:
        return {"format": SYSTEM_NAMES.get(self.format, self.format), "tickets": self.tickets,
                **self.counts, "imported": self.imported, "rows_read": self.rows_read,
                "event_log": self.event_log, "skipped": dict(self.skipped),
                "unmapped": [{"label": label, "tickets": n} for label, n in self.unmapped],
                "warnings": [asdict(w) for w in self.warnings[:MAX_WARNINGS]],
                "warning_count": len(self.warnings), "mapping": self.mapping,
                "date_order": self.date_order}
