"""The usage readers: a file's bytes → a :class:`~phare.usage.records.Reading`.

:func:`read` decodes a file as Excel or Microsoft 365 saved it (see :mod:`phare.lib.csvtext`;
a Parquet file is recognised by its magic number), finds its source from the header when asked
(:func:`detect`) and hands it to the reader of that source: :mod:`.m365` (the five Microsoft
365 usage reports), :mod:`.events` (generic events, also :func:`read_event_items` for the API)
or :mod:`.licences` (licences and seats). Readers are pure: no database, no models; the import
service matches people and products afterwards.

Every problem is a :class:`~phare.lib.imports.RowError` (physical line, the header being
line 1; the column as the file names it), all of them collected (the first
:data:`~.common.MAX_ERRORS` listed). A reading with errors refuses the file: its records are
those of the good lines, for counting, and must not be written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from phare.usage.records import SOURCES, Reading
from phare.usage.sources import events, licences, m365
from phare.usage.sources.common import PERIODS, Errors, normalise, table

__all__ = ["concealed_notice", "detect", "read", "read_event_items"]

PARQUET_MAGIC = b"PAR1"


def detect(headers: Sequence[str]) -> str | None:
    """The source (one of :data:`~phare.usage.records.SOURCES`) whose columns ``headers``
    are, or None. Headers are compared trimmed, without BOM, case ignored."""
    names = [normalise(header) for header in headers]
    found = m365.detect(names)
    if found:
        return found
    if events.detect(names):
        return "events"
    if licences.detect(names):
        return "licences"
    return None


def read(data: bytes, *, source: str = "auto", period_days: int | None = None,
         time_zone: str = "Europe/Paris") -> Reading:
    """The file read and checked. ``source`` is ``auto`` (detected from the header) or one of
    :data:`~phare.usage.records.SOURCES`; ``period_days`` is the Microsoft 365 report's period
    when the file has no "Report Period" column (30 when not given); ``time_zone`` is where
    events' naive times are. Raises ValueError for an unknown source or time zone (a caller's
    mistake, not the file's)."""
    if source != "auto" and source not in SOURCES:
        raise ValueError(f"unknown usage source {source!r}")
    zone = ZoneInfo(time_zone)
    errors = Errors()
    reading = _read(data, source, period_days, zone, errors)
    reading.errors = errors.result()
    return reading


def read_event_items(items: Sequence[Mapping[str, object]], *,
                     time_zone: str = "Europe/Paris") -> Reading:
    """Events as the JSON API receives them (each a mapping of ``person``, ``service``,
    ``event``, ``time``, optional ``count`` and ``duration``), with the checks of an events
    file; an error's ``line`` is the item's index + 1 and its ``column`` the field's name."""
    return events.read_items(items, ZoneInfo(time_zone))


def concealed_notice() -> str:
    """What to tell the person who imported a report with concealed names."""
    return gettext(
        "The report's user names are concealed (Microsoft 365's default): only tenant-wide "
        "counts were imported. Breakdowns by business unit, site or job family need a report "
        "with identifiable names (Microsoft 365 admin centre, Settings, Org settings, Reports: "
        "untick \"Display concealed user, group, and site names in all reports\").")


def _read(data: bytes, source: str, period_days: int | None, zone: ZoneInfo,
          errors: Errors) -> Reading:
    if period_days is not None and period_days not in PERIODS:
        errors.add(1, "", gettext(
            "%(value)s days is not a report period: only 7, 30, 90 or 180 days are accepted")
            % {"value": period_days})
        return Reading(source=source)
    if data.startswith(PARQUET_MAGIC):
        if source not in ("auto", "events"):
            errors.add(1, "", gettext("a Parquet file can only hold events, not %(source)s")
                       % {"source": source})
            return Reading(source=source)
        return events.read_parquet(data, errors, zone)
    found = table(data, errors)
    if found is None:
        return Reading(source=source)
    if source == "auto":
        detected = detect(found.header)
        if detected is None:
            errors.add(1, "", gettext(
                "the columns match no file Phare reads. Phare reads the Microsoft 365 usage "
                "reports (active users, Teams user activity, email activity, OneDrive usage, "
                "SharePoint site usage: their \"Report Refresh Date\" column and the report's "
                "own), events (person, service, event, time; count and duration optional) and "
                "licences (service with person, or with seats and cost_per_seat)"))
            return Reading(source=source)
        source = detected
    if source == "events":
        return events.read_csv(found, errors, zone)
    if source == "licences":
        return licences.read(found, errors)
    return m365.read(source, found, errors, period_days)
