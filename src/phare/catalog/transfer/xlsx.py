"""The catalogue as an Excel workbook: one sheet per table. The only module that uses openpyxl.

Writing: the header row bold and frozen, columns about as wide as their content, amounts and
targets as numbers, news dates as dates, and every text as text — a description starting with
"=" stays a description, never a formula. Reading: every cell comes back as text, whatever
Excel made of it (12.5 → "12.5", 95.0 → "95", a date → "2025-03-01", TRUE → "1"); formulas give
the value Excel computed.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from phare.catalog.transfer.report import CatalogImportError, TableError
from phare.catalog.transfer.tables import (
    DATE_COLUMNS,
    INTEGER_COLUMNS,
    NUMBER_COLUMNS,
    TABLES,
    Rows,
    Sheet,
)
from phare.lib.xlsx import date_cell, text_cell

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 500  # rows looked at to size a column


def is_workbook(archive: zipfile.ZipFile) -> bool:
    return "xl/workbook.xml" in archive.namelist()


def write_workbook(tables: dict[str, Rows]) -> bytes:
    # Write-only mode streams rows: 5,000 services and their children take a second or two.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, columns in TABLES.items():
        sheet = workbook.create_sheet(name)
        rows = tables[name]
        for index, column in enumerate(columns):
            sheet.column_dimensions[get_column_letter(index + 1)].width = _width(
                column, (row[index] for row in rows[:WIDTH_SAMPLE]))
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        kinds = [_kind(name, column) for column in columns]
        for row in rows:
            sheet.append([_cell(sheet, kind, value) for kind, value in zip(kinds, row,
                                                                         strict=True)])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _width(header: str, values: Any) -> float:
    longest = max((max(len(line) for line in value.split("\n")) for value in values if value),
                  default=0)
    return min(max(len(header) + 2, longest + 2, MIN_WIDTH), MAX_WIDTH)


def _kind(table: str, column: str) -> str:
    if (table, column) in NUMBER_COLUMNS:
        return NUMBER_COLUMNS[table, column]
    if (table, column) in INTEGER_COLUMNS:
        return "integer"
    if (table, column) in DATE_COLUMNS:
        return "date"
    return "text"


def _cell(sheet: WriteOnlyWorksheet, kind: str, value: str) -> Any:
    if not value:
        return None
    if kind == "integer":
        return int(value)
    if kind == "date":
        return date_cell(sheet, dt.date.fromisoformat(value))
    if kind != "text":  # a number format
        cell = WriteOnlyCell(sheet, value=Decimal(value))
        cell.number_format = kind
        return cell
    return text_cell(sheet, value)


def read_workbook(data: bytes) -> list[Sheet]:
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise CatalogImportError([TableError("", 0, "", gettext(
            "the file cannot be read as an Excel workbook (%(error)s)") % {
                "error": exc})]) from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "reset_dimensions"):
                continue  # a chart sheet holds no rows
            # Some programs write a wrong size; without this, rows past it would be dropped.
            sheet.reset_dimensions()
            sheets.append(Sheet(sheet.title, [[text_of(value) for value in row]
                                              for row in sheet.iter_rows(values_only=True)]))
        return sheets
    finally:
        workbook.close()


def text_of(value: Any) -> str:
    """A cell's value as the text the export would have written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
