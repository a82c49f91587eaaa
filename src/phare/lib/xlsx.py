"""What every workbook Phare writes shares: text cells that Excel keeps as text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE


def date_cell(sheet: Any, value: dt.date) -> WriteOnlyCell:
    """A date shown as 2026-12-06 whatever the reader's locale."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "yyyy-mm-dd"
    return cell


def text_cell(sheet: Any, value: str) -> Any:
    """``value`` as a write-only sheet's cell of text: control characters a workbook cannot
    hold (all but tab and line breaks) removed, and text that openpyxl would store as a
    formula ("=…") or an error value ("#N/A") kept as text. An empty text is an empty cell."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value or None
