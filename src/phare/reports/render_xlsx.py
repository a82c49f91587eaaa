"""The quarterly report as a workbook (openpyxl): a cover sheet, then one sheet per figure.

Each figure's sheet holds its title, its table with a styled header, its n and note; where
the figure's chart is a simple bar or line series over a column of the table, the sheet also
gets a native Excel chart of that column, which the reader can restyle.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from phare.reports.content import Figure, ReportContent, is_number

HEADER_FILL = PatternFill("solid", fgColor="1E3A8A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
#: The rows above a figure's table: its title and a blank line.
TABLE_ROW = 3
_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, none of []:*?/\\), unique in ``taken``."""
    base = " ".join(title.translate(_FORBIDDEN).split())[:31].strip("'") or "Sheet"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):  # the report's words, as the PDF and slides write them
        return _("yes") if value else _("no")
    if is_number(value):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    # Text that openpyxl would store as a formula or an error stays text.
    return ("'" + text) if text.startswith("=") or text in ERROR_CODES else text


def _series(figure: Figure) -> tuple[str, str] | None:
    """The mark ("bar"/"line") and the table column a simple chart shows, if any."""
    if figure.chart is None:
        return None
    spec = figure.chart.spec
    layers = [spec, *spec.get("layer", [])]
    columns = {str(c): c for c in figure.table.columns}
    for layer in layers:
        mark = layer.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        if kind not in ("bar", "line"):
            continue
        for channel in ("y", "x"):
            encoding = layer.get("encoding", {}).get(channel, {})
            if encoding.get("type") != "quantitative":
                continue
            field = encoding.get("field", "")
            label = figure.chart.columns.get(field, field)
            for candidate in (label, field):
                # Missing figures (None, or NaN in a column of numbers: a hidden row) are
                # blank cells of the series.
                if candidate in columns and figure.table[candidate].map(
                        lambda v: v is None or v != v or is_number(v)).all():
                    return kind, candidate
    return None


def _figure_sheet(book: Workbook, figure: Figure, section_title: str, name: str) -> None:
    sheet = book.create_sheet(name)
    sheet.cell(row=1, column=1, value=_value(figure.title)).font = Font(bold=True, size=13)
    sheet.cell(row=1, column=4, value=_value(section_title)).font = Font(italic=True)
    columns = [str(c) for c in figure.table.columns]
    for j, column in enumerate(columns, start=1):
        cell = sheet.cell(row=TABLE_ROW, column=j, value=_value(column))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        sheet.column_dimensions[get_column_letter(j)].width = max(12, min(40, len(column) + 4))
    rows = list(figure.table.astype(object).itertuples(index=False, name=None))
    for i, row in enumerate(rows, start=TABLE_ROW + 1):
        for j, value in enumerate(row, start=1):
            sheet.cell(row=i, column=j, value=_value(value))
    below = TABLE_ROW + len(rows) + 2
    sheet.cell(row=below, column=1,
               value=f"n = {figure.n}" if figure.n is not None else _("n: see each row"))
    if figure.note:
        sheet.cell(row=below + 1, column=1, value=_value(figure.note))
    sheet.freeze_panes = sheet.cell(row=TABLE_ROW + 1, column=1)
    series = _series(figure)
    if series is None or not rows:
        return
    kind, column = series
    index = columns.index(column) + 1
    plot: BarChart | LineChart = BarChart() if kind == "bar" else LineChart()
    plot.title = figure.title
    plot.y_axis.title = column
    data = Reference(sheet, min_col=index, min_row=TABLE_ROW, max_row=TABLE_ROW + len(rows))
    labels = Reference(sheet, min_col=1, min_row=TABLE_ROW + 1, max_row=TABLE_ROW + len(rows))
    plot.add_data(data, titles_from_data=True)
    plot.set_categories(labels)
    plot.width, plot.height = 18, 8
    sheet.add_chart(plot, f"{get_column_letter(len(columns) + 2)}{TABLE_ROW}")


def render_xlsx(content: ReportContent) -> bytes:
    """The report as an Excel workbook."""
    with translation.override(content.language):
        book = Workbook()
        cover = book.active
        taken: set[str] = set()
        cover.title = sheet_name(_("Report"), taken)
        cover["A1"] = _value(content.title)
        cover["A1"].font = Font(bold=True, size=14)
        facts = [(_("Period"), content.period_label), (_("From"), content.starts_on),
                 (_("To"), content.ends_on),
                 (_("Business unit"), content.unit_name or _("The whole company")),
                 (_("Generated on"), content.generated_at.date())]
        for i, (label, value) in enumerate(facts, start=3):
            cover.cell(row=i, column=1, value=label).font = Font(bold=True)
            cell = cover.cell(row=i, column=2, value=_value(value) if isinstance(value, str)
                              else value)
            if not isinstance(value, str):
                cell.number_format = "yyyy-mm-dd"
        row = len(facts) + 4
        for j, header in enumerate((_("Section"), _("Message"), _("Sheets")), start=1):
            cell = cover.cell(row=row, column=j, value=header)
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cover.column_dimensions["A"].width, cover.column_dimensions["B"].width = 28, 90
        cover.column_dimensions["C"].width = 40
        for section in content.sections:
            names = [sheet_name(figure.title, taken) for figure in section.figures]
            row += 1
            cover.cell(row=row, column=1, value=_value(section.title))
            cover.cell(row=row, column=2, value=_value(section.message))
            cover.cell(row=row, column=3, value=_value(", ".join(names)))
            for figure, name in zip(section.figures, names, strict=True):
                _figure_sheet(book, figure, section.title, name)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
