"""Generic usage events: a CSV or Parquet file, or the items the API receives.

Each event names a person (an email or an employee id), a service (a catalogue identifier),
an event name, a time and optionally a count (default 1) and a duration in seconds. Each becomes
an :class:`~phare.usage.records.Activity` of metric ``event:<name>`` on the event's local day
(naive times are in the organisation's time zone); the events of one person, service, day and
name in one file are summed into one activity, on the line of the first.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.utils.translation import gettext

from phare.usage.records import Activity, Reading
from phare.usage.sources.common import (
    Errors,
    Table,
    cell,
    is_slug,
    missing,
    normalise,
    parse_count,
    parse_number,
    person,
)

SOURCE = "events"
#: Each field and the column names that hold it (normalised), the preferred first.
FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("person", "employee_id", "employee id", "email", "upn", "user"),
    "service": ("service", "application"),
    "event": ("event", "name", "action"),
    "time": ("time",),
    "count": ("count",),
    "duration": ("duration",),
}
REQUIRED = ("person", "service", "event", "time")
#: Longest event name kept (the metric is ``event:<name>``).
MAX_EVENT = 100


def detect(names: Sequence[str]) -> bool:
    """Whether the (normalised) header names a person, a service, an event and a time."""
    present = set(names)
    return all(present & set(FIELDS[key]) for key in REQUIRED)


@dataclass(slots=True)
class _Sum:
    """The events of one (person, service, day, metric) so far, from the first's line."""

    line: int
    count: int
    duration: float | None


class Events:
    """Events checked one by one and summed by (person, service, day, metric)."""

    def __init__(self, zone: ZoneInfo, errors: Errors) -> None:
        self.zone, self.errors = zone, errors
        self.reading = Reading(source=SOURCE)
        self.sums: dict[tuple[str, str, dt.date, str], _Sum] = {}

    def add(self, line: int, values: Mapping[str, tuple[str, object]]) -> None:
        """One event: ``values`` maps each field to (the column or key naming it, its value);
        a required field absent from ``values`` is reported under the field's name."""
        errors = self.errors
        before = errors.total

        def required(key: str, empty: str) -> tuple[str, str] | None:
            column, value = values.get(key, (key, None))
            if value is None or (isinstance(value, str) and not value.strip()):
                errors.add(line, column, empty)
                return None
            if not isinstance(value, str):
                if key == "person" and isinstance(value, int) and not isinstance(value, bool):
                    return column, str(value)
                errors.add(line, column, gettext("expected text, not %(value)r")
                           % {"value": value})
                return None
            return column, value.strip()

        who = required("person", gettext("the person is empty"))
        if who is not None:
            identifier, reason = person(who[1])
            if reason:
                errors.add(line, who[0], reason)
        service = required("service", gettext("the service is empty"))
        product = ""
        if service is not None:
            product = service[1].lower()
            if not is_slug(product):
                errors.add(line, service[0], gettext(
                    "'%(value)s' is not a service identifier (letters, digits and hyphens)")
                    % {"value": service[1]})
        event = required("event", gettext("the event name is empty"))
        if event is not None and len(event[1]) > MAX_EVENT:
            errors.add(line, event[0], gettext("the event name is longer than %(max)d "
                                               "characters") % {"max": MAX_EVENT})
        day = self._day(line, values)
        count = self._count(line, values)
        duration = self._duration(line, values)
        if errors.total != before or who is None or event is None or day is None:
            return
        key = (identifier, product, day, "event:" + event[1])
        found = self.sums.get(key)
        if found is None:
            self.sums[key] = _Sum(line, count, duration)
            return
        found.count += count
        if duration is not None:
            found.duration = duration if found.duration is None else found.duration + duration

    def _day(self, line: int, values: Mapping[str, tuple[str, object]]) -> dt.date | None:
        column, value = values.get("time", ("time", None))
        if value is None or value == "":
            self.errors.add(line, column, gettext("the time is empty"))
            return None
        if isinstance(value, str):
            text = value.strip()
            try:
                if len(text) == 10:
                    return dt.date.fromisoformat(text)
                value = dt.datetime.fromisoformat(text)
            except ValueError:
                self.errors.add(line, column, gettext(
                    "'%(value)s' is not a date or time (expected ISO 8601, as "
                    "2026-03-01T09:30:00+01:00)") % {"value": text})
                return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                return value.date()
            return value.astimezone(self.zone).date()
        if isinstance(value, dt.date):
            return value
        self.errors.add(line, column, gettext("expected a date or time, not %(value)r")
                        % {"value": value})
        return None

    def _count(self, line: int, values: Mapping[str, tuple[str, object]]) -> int:
        column, value = values.get("count", ("count", None))
        if value is None or value == "":
            return 1
        number: int | None = None
        if isinstance(value, str):
            number = parse_count(value.strip())
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        if number is None or number < 1:
            self.errors.add(line, column, gettext(
                "'%(value)s' is not a count: expected a whole number of at least 1")
                % {"value": value})
            return 0
        return number

    def _duration(self, line: int, values: Mapping[str, tuple[str, object]]) -> float | None:
        column, value = values.get("duration", ("duration", None))
        if value is None or value == "":
            return None
        number: float | None = None
        if isinstance(value, str):
            number = parse_number(value.strip())
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = parse_number(str(value))
        if number is None or number < 0:
            self.errors.add(line, column, gettext(
                "'%(value)s' is not a duration: expected a number of seconds, 0 or more")
                % {"value": value})
            return None
        return number

    def finish(self) -> Reading:
        reading = self.reading
        reading.activities = [
            Activity(total.line, who, product, day, metric, value=float(total.count),
                     duration=total.duration, period_days=1)
            for (who, product, day, metric), total in self.sums.items()]
        return reading


def read_csv(table: Table, errors: Errors, zone: ZoneInfo) -> Reading:
    """Events from a CSV file (the header on line 1)."""
    events = Events(zone, errors)
    columns = {key: table.column(*aliases) for key, aliases in FIELDS.items()}
    if missing(errors, columns, REQUIRED, {key: key for key in REQUIRED}):
        return events.reading
    present = [(key, column) for key, column in columns.items() if column is not None]
    for line, fields in table.rows(errors):
        events.reading.rows_read += 1
        events.add(line, {key: (column.name, cell(fields, column)) for key, column in present})
    return events.finish()


def read_parquet(data: bytes, errors: Errors, zone: ZoneInfo) -> Reading:
    """Events from a Parquet file; row ``i`` (from 0) is reported as line ``i + 2``, as if
    the file were a CSV file with its header on line 1."""
    events = Events(zone, errors)
    try:
        source = pq.ParquetFile(io.BytesIO(data))
        header = list(source.schema_arrow.names)
    except (pa.ArrowException, OSError, ValueError) as exc:
        errors.add(1, "", gettext("the Parquet file cannot be read: %(reason)s")
                   % {"reason": exc})
        return events.reading
    positions: dict[str, str] = {}
    for name in header:
        positions.setdefault(normalise(name), name)
    columns = {key: next((positions[alias] for alias in aliases if alias in positions), None)
               for key, aliases in FIELDS.items()}
    absent = [key for key in REQUIRED if columns[key] is None]
    for key in absent:
        errors.add(1, key, gettext("the column \"%(column)s\" is missing") % {"column": key})
    if absent:
        return events.reading
    wanted = {key: name for key, name in columns.items() if name is not None}
    line = 1
    try:
        for values in _parquet_rows(source, wanted):
            line += 1
            events.reading.rows_read += 1
            events.add(line, values)
    except (pa.ArrowException, OSError, ValueError) as exc:
        errors.add(line + 1, "", gettext("the Parquet file cannot be read: %(reason)s")
                   % {"reason": exc})
    return events.finish()


def _parquet_rows(source: pq.ParquetFile, wanted: dict[str, str]
                  ) -> Iterator[dict[str, tuple[str, object]]]:
    names = list(dict.fromkeys(wanted.values()))
    for batch in source.iter_batches(columns=names):
        arrays = {}
        for name in names:
            array = batch.column(name)
            if pa.types.is_timestamp(array.type) and array.type.unit == "ns":
                # Python's datetime stops at microseconds; a day does not need more.
                array = array.cast(pa.timestamp("us", array.type.tz), safe=False)
            arrays[name] = array.to_pylist()
        for row in range(batch.num_rows):
            yield {key: (name, arrays[name][row]) for key, name in wanted.items()}


def read_items(items: Sequence[Mapping[str, object]], zone: ZoneInfo) -> Reading:
    """Events as the API receives them: item ``i`` (from 0) is line ``i + 1`` and an error's
    column is the field's name in the item."""
    events = Events(zone, Errors())
    keys = {alias: key for key, aliases in FIELDS.items() for alias in reversed(aliases)}
    for index, item in enumerate(items):
        line = index + 1
        events.reading.rows_read += 1
        if not isinstance(item, Mapping):
            events.errors.add(line, "", gettext("an event must be an object"))
            continue
        values: dict[str, tuple[str, object]] = {}
        for name, value in item.items():
            key = keys.get(normalise(str(name)))
            if key is not None and key not in values:
                values[key] = (str(name), value)
        events.add(line, values)
    reading = events.finish()
    reading.errors = events.errors.result()
    return reading
