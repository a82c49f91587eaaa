"""An export as a table of text: its header and its rows, each with its line in the file.

CSV in whatever encoding and separator the ITSM or Excel wrote (:mod:`phare.lib.csvtext`), or
an Excel workbook's first sheet (:mod:`phare.lib.xlsx`), whose cells come back as the text a
CSV export would hold. The line of a row is the file's physical line (CSV) or the sheet's row
number (Excel): what a person sees when they open the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from phare.lib import csvtext, xlsx
from phare.lib.imports import ImportFailed, RowError
from phare.tickets.imports.dates import as_text

#: Cells some exports (the UCI incident event log) write for "no value".
MISSING = {"?", "NULL", "null", "(empty)", "(vide)"}


class TicketImportError(ImportFailed):
    """The file was refused and nothing was written; ``errors`` lists every reason, by line."""

    order = staticmethod(lambda error: error.line)


@dataclass
class Table:
    """A file's header and rows (line, cells), blank rows left out; ``unreadable`` is the line
    where reading stopped (an unclosed quote), else None."""

    kind: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    header_line: int = 1
    unreadable: int | None = None


def _refuse(line: int, reason: str) -> TicketImportError:
    return TicketImportError([RowError(line, "", reason)])


def read_table(data: bytes) -> Table:
    """The table of an export (CSV or .xlsx); raises :class:`TicketImportError` when the file
    cannot be read as one or has no header of two columns at least."""
    table = _workbook(data) if xlsx.is_workbook(data) else _csv(data)
    if sum(1 for name in table.header if name) < 2:
        raise _refuse(table.header_line, gettext(
            "the header has a single column: this is not a ticket export (CSV separated by "
            "commas, semicolons or tabs, or an Excel workbook)"))
    return table


def _clean(cells: list[str]) -> list[str]:
    return ["" if cell.strip() in MISSING else cell.strip() for cell in cells]


def _workbook(data: bytes) -> Table:
    try:
        rows = [(number, [as_text(value) for value in values])
                for number, values in xlsx.first_sheet_rows(data)]
    except xlsx.WorkbookError as exc:
        raise _refuse(1, exc.reason) from None
    if not rows:
        raise _refuse(1, gettext("the file is empty"))
    (header_line, header), body = rows[0], rows[1:]
    header = [csvtext.clean_name(name) for name in header]
    return Table(kind="xlsx", header=header, header_line=header_line,
                 rows=[(line, _clean(cells)) for line, cells in body])


def _csv(data: bytes) -> Table:
    try:
        text = csvtext.decode(data)
    except csvtext.TextError as exc:
        raise _refuse(exc.line, exc.reason) from None
    records = csvtext.records_with(text, csvtext.sniff_delimiter(text))
    first = next(records, None)
    if first is not None and first[1] is None:
        raise _refuse(1, gettext("the header cannot be read (an unclosed quote?)"))
    if first is None or first[1] is None or not any(v.strip() for v in first[1]):
        raise _refuse(1, gettext("the file is empty"))
    header = [csvtext.clean_name(name) for name in first[1]]
    rows: list[tuple[int, list[str]]] = []
    unreadable = None
    for line, fields in records:
        if fields is None:
            unreadable = line
            break
        if any(v.strip() for v in fields):
            rows.append((line, _clean(fields)))
    return Table(kind="csv", header=header, rows=rows, unreadable=unreadable)
