"""What every workbook Phare writes shares: text cells that Excel keeps as text; and reading
the first sheet of a workbook someone else wrote (an ITSM's export), bounded."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext
from openpyxl import load_workbook
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


#: The most a workbook may unpack to: a 100 MB upload of shared strings is already huge, and a
#: zip bomb stops here instead of filling the memory.
MAX_UNPACKED = 200 * 1024 * 1024


class WorkbookError(ValueError):
    """The bytes are not a workbook Phare can read; ``reason`` says why, in the reader's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are an Excel workbook (.xlsx): a zip holding ``xl/workbook.xml``."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def first_sheet_rows(data: bytes, *, max_rows: int = 1_000_000
                     ) -> Iterator[tuple[int, list[Any]]]:
    """(row number as Excel shows it, cell values) for each row of the workbook's first
    worksheet that holds a value; raises :class:`WorkbookError` for a damaged, encrypted,
    oversized or empty workbook, or past ``max_rows`` rows. Formulas give their cached value;
    dates come as ``datetime``, numbers as ``int``/``float``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise WorkbookError(gettext("the workbook is too large once unpacked"))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise WorkbookError(gettext(
            "the file cannot be read as an Excel workbook (%(error)s)") % {
                "error": exc}) from None
    try:
        sheets = [sheet for sheet in workbook.worksheets if hasattr(sheet, "reset_dimensions")]
        if not sheets:
            raise WorkbookError(gettext("the workbook has no worksheet"))
        sheet = sheets[0]
        # Some programs write a wrong size; without this, rows past it would be dropped.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > max_rows:
                raise WorkbookError(gettext("the worksheet has more than %(count)d rows") % {
                    "count": max_rows})
            if any(value not in (None, "") for value in row):
                yield number, list(row)
    finally:
        workbook.close()
