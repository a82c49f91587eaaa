"""The five tables of a catalogue file, and the catalogue's content as their rows.

Every cell is text here (``"12.50"``, ``"1"``, ``"2025-03-01"``); the Excel writer turns the
columns of ``NUMBER_COLUMNS``, ``INTEGER_COLUMNS`` and ``DATE_COLUMNS`` into typed cells, and the
readers turn typed cells back into text, so both formats share this one mapping.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from phare.catalog.content import CHILD_FIELDS, CODE_LISTS, FIELDS, Content
from phare.catalog.transfer.snapshot import FAMILY_FIELDS, Snapshot

LIST_FIELDS = [*CODE_LISTS, "related"]
SERVICE_FIELDS = [name for name in FIELDS if name not in CHILD_FIELDS]
TABLES: dict[str, list[str]] = {
    "families": FAMILY_FIELDS,
    "services": ["slug", "lifecycle", "publication", *SERVICE_FIELDS],
    **{kind: ["service", *keys] for kind, keys in CHILD_FIELDS.items()},
}
CHILD_TABLES = list(CHILD_FIELDS)
LIST_SEPARATOR = ", "
#: (table, column) of decimal numbers, and the Excel number format they are shown with.
NUMBER_COLUMNS = {("services", "unit_cost"): "0.00", ("services", "annual_run_cost"): "0.00",
                  ("commitments", "target"): "General"}
INTEGER_COLUMNS = {("families", "position"), ("services", "audience_everyone")}
DATE_COLUMNS = {("news", "date")}

Rows = list[list[str]]


def catalog_rows(snapshot: Snapshot) -> dict[str, Rows]:
    """table -> rows (without the header): families by position, services by slug, each
    service's children in the order of its content."""
    tables: dict[str, Rows] = {name: [] for name in TABLES}
    for family in sorted(snapshot.families.values(),
                         key=lambda f: (f.values["position"], f.values["code"])):
        tables["families"].append([str(family.values[name]) for name in FAMILY_FIELDS])
    for slug in sorted(snapshot.services):
        state = snapshot.services[slug]
        tables["services"].append(
            [slug, state.lifecycle, state.publication, *service_cells(state.content)])
        for kind, keys in CHILD_FIELDS.items():
            tables[kind].extend([slug, *(item[key] for key in keys)]
                                for item in state.content[kind])
    return tables


def service_cells(data: Content) -> list[str]:
    cells = []
    for name in SERVICE_FIELDS:
        value = data[name]
        if name in LIST_FIELDS:
            value = LIST_SEPARATOR.join(value)
        elif name == "audience_everyone":
            value = "1" if value else "0"
        cells.append(value)
    return cells


TRUE_WORDS = {"1", "true", "yes", "oui", "vrai", "x"}
FALSE_WORDS = {"0", "false", "no", "non", "faux"}


def parse_flag(text: str) -> bool | None:
    """``1``/``0`` (also true/false, yes/no, oui/non, vrai/faux); None when it is neither."""
    word = text.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def parse_list(text: str) -> list[str]:
    # Commas as the export writes them; line breaks as people type lists in a cell (Alt+Enter).
    return [part.strip() for part in re.split(r"[,\n]", text) if part.strip()]


_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def clean_number(text: str) -> str:
    """``1 234,50`` as French Excel saves it becomes ``1234,50`` (the content reads the comma)."""
    squeezed = _SPACES.sub("", text)
    return squeezed if re.fullmatch(r"[-+]?[\d.,]+", squeezed) else text


def clean_date(text: str) -> str:
    """``05/03/2025`` (day first, as French Excel saves dates) becomes ``2025-03-05``; anything
    else is left for the content check to judge."""
    match = _FRENCH_DATE.fullmatch(text.strip())
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def cell_text(table: str, column: str, text: str) -> str:
    """A cell as read from a file, tidied for its column (numbers and dates as Excel saves)."""
    if (table, column) in NUMBER_COLUMNS:
        return clean_number(text)
    if (table, column) in DATE_COLUMNS:
        return clean_date(text)
    return text


@dataclass
class Sheet:
    """A table as read from a file: its name and its cells as text, row by row; ``cells[0]``
    is the header, so spreadsheet row *n* is ``cells[n - 1]``."""

    name: str
    cells: list[list[str]]
