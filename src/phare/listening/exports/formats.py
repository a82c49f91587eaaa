"""The files of an export, made from its table (:func:`.table.build_table`): CSV (codes or
value labels), an Excel workbook, an SPSS .sav (written by :mod:`phare.listening.spss`).

CSV cells of text starting with =, +, -, @, tab or carriage return get a leading "'" (the shared
``core.csvtext.csv_writer``; numbers are left alone) so that a spreadsheet never runs an answer or
a label as a formula; Excel cells are written as text.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from phare.lib.csvtext import csv_writer
from phare.lib.xlsx import date_cell, text_cell
from phare.listening import spss
from phare.listening.exports.table import ExportTable, Variable, build_table
from phare.listening.models import Survey, SurveyVersion, Wave

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: URL format → (content type, file extension).
FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"),
           "labels.csv": ("text/csv; charset=utf-8", "labels.csv"),
           "xlsx": (XLSX_TYPE, "xlsx"),
           "sav": ("application/x-spss-sav", "sav")}


def export_csv(survey: Survey, *, labels: bool, language: str,
               wave: Wave | int | None = None, version: SurveyVersion | int | None = None) -> bytes:
    """The responses as CSV (UTF-8 with a BOM, for Excel): codes, or value labels."""
    return write_csv(build_table(survey, language=language, wave=wave, version=version),
                     labels=labels)


def export_xlsx(survey: Survey, *, language: str, wave: Wave | int | None = None,
                version: SurveyVersion | int | None = None) -> bytes:
    """The responses as a workbook: "responses" (codes), "labels", "variables", "notes"."""
    return write_xlsx(build_table(survey, language=language, wave=wave, version=version))


def export_sav(survey: Survey, *, language: str, wave: Wave | int | None = None,
               version: SurveyVersion | int | None = None) -> bytes:
    """The responses as an SPSS .sav file with variable labels, value labels, missing values."""
    return spss.write_sav(build_table(survey, language=language, wave=wave, version=version))


def export_file(survey: Survey, fmt: str, *, language: str, wave: Wave | int | None = None,
                version: SurveyVersion | int | None = None) -> bytes:
    """The file of one of :data:`FORMATS`."""
    if fmt in {"csv", "labels.csv"}:
        return export_csv(survey, labels=fmt == "labels.csv", language=language, wave=wave,
                          version=version)
    if fmt == "xlsx":
        return export_xlsx(survey, language=language, wave=wave, version=version)
    if fmt == "sav":
        return export_sav(survey, language=language, wave=wave, version=version)
    raise ValueError(f"unknown export format {fmt!r}")


def export_filename(survey: Survey, fmt: str, *, wave: int | None = None,
                    version: int | None = None) -> str:
    parts = [survey.slug, "responses"]
    if wave is not None:
        parts.append(f"wave{wave}")
    if version is not None:
        parts.append(f"v{version}")
    return "-".join(parts) + "." + FORMATS[fmt][1]


def write_csv(table: ExportTable, *, labels: bool = False) -> bytes:
    rows = table.labelled_rows() if labels else table.rows
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow(table.names)
    for row in rows:
        writer.writerow([_csv_cell(variable, value)
                         for variable, value in zip(table.variables, row, strict=True)])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _csv_cell(variable: Variable, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value  # numbers stay numbers; csv_writer guards text that looks like a formula


def write_xlsx(table: ExportTable) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = workbook.create_sheet(title)
        ws.freeze_panes = "A2"
        ws.append([_bold(ws, name, bold) for name in header])
        for row in rows:
            ws.append([_xlsx_cell(ws, value) for value in row])

    sheet("responses", table.names, table.rows)
    sheet("labels", table.names, table.labelled_rows())
    sheet("variables", ["name", "label", "type", "measure", "value_labels", "missing",
                        "question"],
          [[v.name, v.label, v.type, v.measure,
            "; ".join(f"{value} = {label}" for value, label in v.value_labels.items()),
            "; ".join(str(code) for code in v.missing), v.question] for v in table.variables])
    with translation.override(table.language):
        notes = table.notes() or [_("No response or column was changed by the thresholds.")]
    sheet("notes", ["note"], [[note] for note in notes])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _bold(ws: Any, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell


def _xlsx_cell(ws: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        return date_cell(ws, value)
    if not isinstance(value, str):
        return value
    return text_cell(ws, value)
