"""Dates and times as ITSM exports write them, read the same way for a whole file.

ISO 8601 (``2025-03-12 09:15``, ``2025-03-12T09:15:00Z``, with an offset) and Excel serial
numbers (``45728.3854``, days since 1899-12-30) say what they mean. ``03/04/2025 09:15`` does
not: the order is decided once for the file (:func:`decide_order`) from every such value —
a first number above 12 means day-first, a second one above 12 month-first — never value by
value. When no value decides, the labels' language does (French, German… write day-first);
otherwise the person is asked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils import timezone

DMY, MDY = "dmy", "mdy"
ORDERS = (DMY, MDY)

_NUMERIC = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?$")
_YEAR_FIRST = re.compile(
    r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_SERIAL = re.compile(r"^\d{4,6}(?:[.,]\d+)?$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class Conflict(ValueError):
    """Some values are day-first and others month-first: ``examples`` shows one of each."""

    def __init__(self, examples: tuple[str, str]) -> None:
        super().__init__(examples)
        self.examples = examples


def is_ambiguous(value: str) -> bool:
    """Whether a value could be read day-first or month-first (both numbers up to 12, and
    different)."""
    found = _NUMERIC.match(value.strip())
    if found is None:
        return False
    return int(found[1]) <= 12 and int(found[2]) <= 12 and found[1] != found[2]


def decide_order(values: Iterable[str]) -> str | None:
    """The order these values are written in (:data:`DMY`, :data:`MDY`), None when none of
    them tells (every numeric date could be either); raises :class:`Conflict` when values
    tell both."""
    day_first = month_first = None
    for value in values:
        found = _NUMERIC.match(value.strip())
        if not found:
            continue
        first, second = int(found[1]), int(found[2])
        if first > 12 and second <= 12:
            day_first = day_first or value
        elif second > 12 and first <= 12:
            month_first = month_first or value
        if day_first and month_first:
            raise Conflict((day_first, month_first))
    if day_first:
        return DMY
    if month_first:
        return MDY
    return None


def parse(value: str, order: str | None) -> dt.datetime | None:
    """The moment a value names (aware: Phare's time zone unless it carries an offset), or
    None when it is not a date. ``order`` reads numeric dates; None reads only those that
    cannot be taken two ways."""
    value = value.strip()
    if not value:
        return None
    parsed = _numeric(value, order) or _year_first(value) or _serial(value) or _iso(value)
    if parsed is None:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _numeric(value: str, order: str | None) -> dt.datetime | None:
    found = _NUMERIC.match(value)
    if not found:
        return None
    first, second, year = int(found[1]), int(found[2]), int(found[3])
    if order is None:
        if is_ambiguous(value):
            return None
        order = DMY if first > 12 else MDY if second > 12 else DMY  # equal: either reads
    day, month = (first, second) if order == DMY else (second, first)
    if year < 100:
        year += 2000
    hour, minute, second_ = int(found[4] or 0), int(found[5] or 0), int(found[6] or 0)
    meridian = (found[7] or "").replace(".", "").lower()
    if meridian:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridian == "pm" else 0)
    try:
        return dt.datetime(year, month, day, hour, minute, second_)
    except ValueError:
        return None


def _year_first(value: str) -> dt.datetime | None:
    found = _YEAR_FIRST.match(value)
    if not found:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _serial(value: str) -> dt.datetime | None:
    if not _SERIAL.match(value):
        return None
    days = float(value.replace(",", "."))
    # 1 (1900-01-01) to 2958465 (9999-12-31): Excel's range of dates.
    if not 1 <= days <= 2958465:
        return None
    moment = EXCEL_EPOCH + dt.timedelta(days=days)
    return moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))


def _iso(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def as_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (dates in ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
