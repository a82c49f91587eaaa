"""SPSS ``.sav`` files of survey responses: the only module that imports pyreadstat.

The table comes from :func:`phare.listening.exports.table.build_table`. What the file carries:

- variable labels (``column_labels``), cut to the 256 bytes SPSS keeps;
- value labels (``variable_value_labels``), cut to 120 bytes;
- user-missing values (``missing_ranges``): the "not asked" code (-99) of a question hidden by
  its display condition, declared as a discrete missing value. pyreadstat reads it back as
  ``{"lo": -99.0, "hi": -99.0}`` in ``missing_ranges`` and the value as -99 with
  ``user_missing=True``, as NaN without. Unanswered questions are system missing (NaN).
  String variables have no missing values: empty;
- measure (nominal, ordinal, scale), display width, number formats (``F<w>.<d>``: whole
  numbers, or the decimals a question allows), dates as SPSS dates and dates with a time as
  SPSS DATETIME, and the survey's title as the file label.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyreadstat

from phare.lib.i18n import in_language

if TYPE_CHECKING:
    from phare.listening.exports.table import ExportTable, Variable

MAX_VARIABLE_LABEL = 256
MAX_VALUE_LABEL = 120
MAX_FILE_LABEL = 64
MAX_DISPLAY_WIDTH = 40


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def write_sav(table: ExportTable) -> bytes:
    frame = pd.DataFrame({variable.name: _series(variable, table.column(variable.name))
                          for variable in table.variables}, columns=table.names)
    numeric = [v for v in table.variables if v.type == "numeric"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.sav"
        pyreadstat.write_sav(
            frame, path,
            file_label=clip(in_language(table.survey, "title", table.language), MAX_FILE_LABEL),
            column_labels={v.name: clip(v.label, MAX_VARIABLE_LABEL) for v in table.variables},
            variable_value_labels={
                v.name: {code: clip(label, MAX_VALUE_LABEL)
                         for code, label in v.value_labels.items()}
                for v in numeric if v.value_labels},
            missing_ranges={v.name: list(v.missing) for v in numeric if v.missing},
            variable_measure={v.name: v.measure for v in table.variables},
            variable_display_width={v.name: _display_width(v, frame[v.name])
                                    for v in table.variables},
            variable_format={v.name: _format(v, frame[v.name]) for v in numeric},
        )
        return path.read_bytes()


def _series(variable: Variable, values: list[Any]) -> pd.Series:
    if variable.type == "numeric":
        return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")
    if variable.type == "date":
        return pd.Series(values, dtype="object")
    if variable.type == "datetime":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    return pd.Series(["" if v is None else str(v) for v in values], dtype="object")


def _format(variable: Variable, column: pd.Series) -> str:
    """``F<w>.<d>``: wide enough for the whole part, the decimals and their point."""
    digits = _digits(variable, column)
    if not variable.decimals:
        return f"F{digits}.0"
    return f"F{digits + 1 + variable.decimals}.{variable.decimals}"


def _digits(variable: Variable, column: pd.Series) -> int:
    numbers = [*column.dropna().tolist(), *variable.value_labels, *variable.missing]
    return max([len(str(int(n))) for n in numbers] + [1])


def _display_width(variable: Variable, column: pd.Series) -> int:
    if variable.type == "string":
        longest = max((len(value) for value in column), default=0)
        return min(max(longest, len(variable.name), 8), MAX_DISPLAY_WIDTH)
    if variable.type == "date":
        return 11
    if variable.type == "datetime":
        return 17
    return max(8, min(len(variable.name), MAX_DISPLAY_WIDTH))
