"""What every usage reader shares: headers matched by name, cells checked, errors collected.

A reader gets a :class:`Table` (the header and the data records with their physical lines),
finds its columns with :meth:`Table.columns`, checks each cell with the parsers below and
reports each problem to an :class:`Errors`, which keeps them in file order and stops listing
after :data:`MAX_ERRORS`. The parsers are plain functions over text, with a memo for the
values a large report repeats on every line (dates, booleans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from phare.lib import csvtext
from phare.lib.imports import RowError

#: Errors listed for one file; the next ones are summed up in a last error.
MAX_ERRORS = 1000
#: The report periods Microsoft 365 offers (D7, D30, D90, D180), and the default.
PERIODS = (7, 30, 90, 180)
DEFAULT_PERIOD = 30
#: Longest employee id the directory holds (``directory.Person.employee_id``).
MAX_EMPLOYEE_ID = 40
MAX_EMAIL = 254
HEX = frozenset("0123456789abcdef")


def normalise(name: str) -> str:
    """A header as headers are compared: no BOM, trimmed, lower case, single spaces."""
    return " ".join(name.replace("\ufeff", "").split()).lower()


class Errors:
    """The errors of one file, in file order, at most :data:`MAX_ERRORS` of them listed."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.more = 0
        self._more_line = 0

    def add(self, line: int, column: str, reason: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(line, column, reason))
        else:
            self.more += 1
            self._more_line = max(self._more_line, line)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def total(self) -> int:
        """Every error reported so far, listed or not (a line is bad when it grows)."""
        return len(self.items) + self.more

    def result(self) -> list[RowError]:
        """Every error listed, by line (a line's errors in the order found), then a last one
        saying how many more there are."""
        errors = sorted(self.items, key=lambda error: error.line)
        if self.more:
            errors.append(RowError(self._more_line, "", ngettext(
                "%(count)d more error is not listed: only the first %(max)d errors are shown",
                "%(count)d more errors are not listed: only the first %(max)d errors are shown",
                self.more) % {"count": self.more, "max": MAX_ERRORS}))
        return errors


@dataclass(frozen=True, slots=True)
class Column:
    """Where a field is in the file, and the name the file gives it (for error messages)."""

    index: int
    name: str


class Table:
    """A CSV file's header and data records (blank lines left out)."""

    def __init__(self, header: list[str], rows: Iterator[tuple[int, list[str] | None]]) -> None:
        self.header = header
        self._rows = rows
        self.positions: dict[str, int] = {}
        for position, name in enumerate(header):
            self.positions.setdefault(normalise(name), position)

    def names(self) -> list[str]:
        return [normalise(name) for name in self.header]

    def column(self, *aliases: str) -> Column | None:
        """The first of ``aliases`` (normalised names) the header has."""
        for alias in aliases:
            position = self.positions.get(alias)
            if position is not None:
                return Column(position, self.header[position].replace("\ufeff", "").strip())
        return None

    def rows(self, errors: Errors) -> Iterator[tuple[int, list[str]]]:
        """(physical line, fields) of each data record, short ones padded with empty cells to
        the header's width (so that ``fields[column.index]`` always exists). An unreadable
        record is an error and ends the reading (the csv module cannot find its footing
        after it)."""
        width = len(self.header)
        for line, fields in self._rows:
            if fields is None:
                errors.add(line, "", gettext(
                    "this line cannot be read as CSV (a quote that is never closed?); the "
                    "lines after it were not read"))
                return
            if not any(fields):
                continue
            if len(fields) < width:
                fields.extend([""] * (width - len(fields)))
            yield line, fields


def table(data: bytes, errors: Errors) -> Table | None:
    """The file as a :class:`Table`, or None after reporting why it cannot be one."""
    try:
        text = csvtext.decode(data)
    except csvtext.TextError as exc:
        errors.add(exc.line, "", exc.reason)
        return None
    records = csvtext.records(text)
    for line, fields in records:
        if fields is None:
            errors.add(line, "", gettext("the header line cannot be read as CSV"))
            return None
        if any(field.strip() for field in fields):
            return Table(fields, records)
    errors.add(1, "", gettext("the file is empty: it has no header line"))
    return None


def missing(errors: Errors, columns: Mapping[str, Column | None], required: Sequence[str],
            names: Mapping[str, str]) -> bool:
    """Reports on line 1 each required column the file lacks; True when one is missing."""
    absent = [key for key in required if columns.get(key) is None]
    for key in absent:
        errors.add(1, names[key], gettext("the column \"%(column)s\" is missing")
                   % {"column": names[key]})
    return bool(absent)


def cell(fields: list[str], column: Column | None) -> str:
    """The cell's text, trimmed; empty when the column is absent or the line is short."""
    if column is None or column.index >= len(fields):
        return ""
    return fields[column.index].strip()


# Dates ---------------------------------------------------------------------------------------

#: Dates already read, by their text (a report repeats a few hundred dates on every line);
#: readers look a cell up here first and call :func:`parse_date` when it is absent.
DATES: dict[str, dt.date | None] = {}


def parse_date(text: str) -> dt.date | None:
    """A date as ``2026-11-30`` (reports), an ISO date-time, or ``30/11/2026`` /
    ``30.11.2026`` (day first, as a French Excel saves it). None when it is none of these."""
    if text in DATES:
        return DATES[text]
    day: dt.date | None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = _other_date(text)
    if len(DATES) < 100_000:
        DATES[text] = day
    return day


def _other_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for pattern in ("%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def bad_date(text: str) -> str:
    return gettext("'%(value)s' is not a date (expected YYYY-MM-DD)") % {"value": text}


# Booleans and numbers ------------------------------------------------------------------------

TRUE = frozenset({"true", "yes", "1", "vrai", "oui", "y"})
FALSE = frozenset({"false", "no", "0", "faux", "non", "n", ""})


def parse_bool(text: str) -> bool | None:
    """``True``/``False`` and ``Yes``/``No`` as the reports write them (and Excel's French
    ``VRAI``/``FAUX``); an empty cell is false. None when it is neither."""
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    return None


def bad_bool(text: str) -> str:
    return gettext("'%(value)s' is neither True nor False") % {"value": text}


def parse_count(text: str) -> int | None:
    """A whole number ≥ 0 (an empty cell is 0; ``12.0`` as a spreadsheet may write it is 12).
    None when the text is not a whole number; a negative number is returned as it is."""
    if not text:
        return 0
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text.replace(",", ".").replace("\u202f", "").replace("\xa0", ""))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def count_error(text: str, value: int | None) -> str | None:
    """Why ``text`` (read as ``value``) is not a count, or None."""
    if value is None:
        return gettext("'%(value)s' is not a whole number") % {"value": text}
    if value < 0:
        return gettext("'%(value)s' is negative") % {"value": text}
    return None


def parse_number(text: str) -> float | None:
    """A decimal number, with a point or (French Excel) a comma; None when it is not one."""
    try:
        number = float(text.replace(",", ".").replace("\u202f", "").replace("\xa0", ""))
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def period(text: str) -> int | None:
    """A report period as the reports write it (``30``, or ``D30`` as the API names it);
    None unless it is one of :data:`PERIODS`."""
    if text[:1] in ("D", "d"):
        text = text[1:]
    value = int(text) if text.isascii() and text.isdigit() else None
    return value if value in PERIODS else None


def bad_period(text: str) -> str:
    return gettext("'%(value)s' is not a report period: only 7, 30, 90 or 180 days are "
                   "accepted") % {"value": text}


# People --------------------------------------------------------------------------------------

def is_email(text: str) -> bool:
    """A plausible address: one ``@``, something before it, a dotted domain, no spaces."""
    local, at, domain = text.rpartition("@")
    return bool(at and local and "@" not in local and "." in domain
                and not domain.startswith(".") and not domain.endswith(".")
                and len(text) <= MAX_EMAIL and " " not in text and text.isprintable())


def is_concealed(text: str) -> bool:
    """A name Microsoft 365 concealed: 32 hexadecimal digits (case ignored)."""
    return len(text) == 32 and not set(text.lower()) - HEX


def person(text: str) -> tuple[str, str | None]:
    """An email (lower-cased) or an employee id (as given), and why it is neither."""
    if not text:
        return text, gettext("the person is empty")
    if "@" in text:
        lowered = text.lower()
        if is_email(lowered):
            return lowered, None
        return text, gettext("'%(value)s' is not a valid email address") % {"value": text}
    if len(text) <= MAX_EMPLOYEE_ID and " " not in text and text.isprintable():
        return text, None
    return text, gettext("'%(value)s' is neither an email address nor an employee id") % {
        "value": text}


def is_slug(text: str) -> bool:
    """A catalogue identifier: letters, digits, hyphens and underscores, at most 80."""
    return bool(text) and len(text) <= 80 and text.isascii() and text.replace(
        "-", "").replace("_", "").isalnum()
