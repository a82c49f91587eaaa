"""Microsoft 365 usage reports, as an admin downloads them or the Graph reports API returns them.

Five reports (``getOffice365ActiveUserDetail``, ``getTeamsUserActivityUserDetail``,
``getEmailActivityUserDetail``, ``getOneDriveUsageAccountDetail``,
``getSharePointSiteUsageDetail``), read by column name: unknown columns are ignored and older
layouts (the 12-column Teams report) read with what they have.

A user report gives, per person, an :class:`~phare.usage.records.Activity` ``active`` on the
last activity date and depth figures (messages, meetings, files…) dated on the report's refresh
date covering the report's period, plus the licences it shows. The SharePoint report is one line
per *site*: it gives tenant counts only. When the tenant conceals names (32 hexadecimal digits
instead of user principal names), a user report gives tenant counts only (``licensed`` and
``active`` per product) and never a person's record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from phare.usage.records import ACTIVE, Activity, Licence, Reading, TenantCount
from phare.usage.sources.common import (
    PERIODS,
    Column,
    Errors,
    Table,
    bad_bool,
    bad_date,
    bad_period,
    count_error,
    is_concealed,
    is_email,
    missing,
    parse_bool,
    parse_count,
    parse_date,
    parse_number,
    period,
)

REFRESH = "report refresh date"
UPN = "user principal name"
LAST_ACTIVITY = "last activity date"
#: Microsoft's product names in the active users report, and Phare's product keys.
PRODUCTS = (("Exchange", "m365:exchange"), ("OneDrive", "m365:onedrive"),
            ("SharePoint", "m365:sharepoint"), ("Skype For Business", "m365:skype"),
            ("Yammer", "m365:yammer"), ("Teams", "m365:teams"))
LICENSED = "licensed"
#: The true/false and period cells as the reports write them, read without a parser call.
FLAGS = {"True": True, "False": False, "": False, "Yes": True, "No": False}
PERIOD_TEXTS = {str(days): days for days in PERIODS}


@dataclass(frozen=True)
class Report:
    """A per-user activity report: its person column, product, depth metrics and licence.

    ``counts`` maps a metric to the columns summed into it (each given by its aliases);
    ``durations`` maps a metric to (seconds column aliases, ISO-8601 duration aliases)."""

    source: str
    product: str
    person: tuple[str, ...]
    counts: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    durations: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    licensed: tuple[str, ...] = ()


TEAMS = Report(
    source="m365-teams", product="m365:teams", person=(UPN,),
    counts=(
        ("teams.chat_messages", (("team chat message count",),
                                 ("private chat message count",))),
        ("teams.calls", (("call count",),)),
        ("teams.meetings", (("meeting count",),)),
        ("teams.meetings_organized", (("meetings organized count",),)),
        ("teams.meetings_attended", (("meetings attended count",),)),
    ),
    durations=(
        ("teams.audio", ("audio duration in seconds",), ("audio duration",)),
        ("teams.video", ("video duration in seconds",), ("video duration",)),
        ("teams.screen_share", ("screen share duration in seconds",),
         ("screen share duration",)),
    ),
    licensed=("is licensed",),
)
EMAIL = Report(
    source="m365-email", product="m365:exchange", person=(UPN,),
    counts=(
        ("email.sent", (("send count",),)),
        ("email.received", (("receive count",),)),
        ("email.read", (("read count",),)),
        ("email.meetings_created", (("meeting created count",),)),
        ("email.meetings_interacted", (("meeting interacted count",),)),
    ),
)
ONEDRIVE = Report(
    source="m365-onedrive", product="m365:onedrive", person=("owner principal name",),
    counts=(
        ("onedrive.files", (("file count",),)),
        ("onedrive.active_files", (("active file count",),)),
        ("onedrive.storage_bytes", (("storage used (byte)",),)),
    ),
)
REPORTS = {report.source: report for report in (TEAMS, EMAIL, ONEDRIVE)}

#: SharePoint's tenant counts: metric → the column summed into it.
SHAREPOINT_SUMS = (("page_views", "page view count"), ("visited_pages", "visited page count"),
                   ("files", "file count"), ("active_files", "active file count"))


def detect(names: Sequence[str]) -> str | None:
    """The Microsoft 365 report whose distinctive columns the (normalised) header has."""
    present = set(names)
    if REFRESH not in present:
        return None
    if {"page view count", "visited page count", "root web template"} & present:
        return "m365-sharepoint"
    if {"team chat message count", "private chat message count"} & present:
        return "m365-teams"
    if {"send count", "receive count"} <= present:
        return "m365-email"
    if {"owner principal name", "storage used (byte)"} <= present:
        return "m365-onedrive"
    if any(f"{name.lower()} last activity date" in present
           or f"has {name.lower()} license" in present for name, _key in PRODUCTS):
        return "m365-active-users"
    return None


def read(source: str, table: Table, errors: Errors, period_days: int | None) -> Reading:
    """The report ``source`` (one of the ``m365-*`` sources) read from ``table``."""
    if source == "m365-active-users":
        return _active_users(table, errors, period_days)
    if source == "m365-sharepoint":
        return _sharepoint(table, errors, period_days)
    return _activity(REPORTS[source], table, errors, period_days)


# What every report shares --------------------------------------------------------------------

class _Lines:
    """A report being read: the columns every report has, the row checks they share, and the
    tenant counts of concealed lines."""

    def __init__(self, source: str, table: Table, errors: Errors, period_days: int | None,
                 person: tuple[str, ...] = ()) -> None:
        self.reading = Reading(source=source)
        self.errors = errors
        self.default_period = period_days or 30
        self.refreshed = table.column(REFRESH)
        self.deleted = table.column("is deleted")
        self.period = table.column("report period")
        self.person = table.column(*person) if person else None
        self.hidden_lines: list[int] = []
        self.named = 0
        self.tally: dict[tuple[str, dt.date, str, int], int] = {}
        self._starts: dict[tuple[dt.date, int], dt.date] = {}

    def require(self, columns: dict[str, Column | None], names: dict[str, str]) -> bool:
        """True when every column is there; each missing one is an error on line 1."""
        columns = {"refreshed": self.refreshed, **columns}
        names = {"refreshed": "Report Refresh Date", **names}
        return not missing(self.errors, columns, list(columns), names)

    def head(self, line: int, fields: list[str]
             ) -> tuple[dt.date | None, int, str | None, bool] | None:
        """(refresh date, period, person, concealed) of a line, None for a deleted account.
        A bad cell is reported and given as None. ``fields`` has the header's width."""
        errors = self.errors
        if self.deleted is not None:
            text = fields[self.deleted.index].strip()
            deleted = FLAGS.get(text)
            if deleted is None:
                deleted = parse_bool(text)
            if deleted:
                self.reading.skipped["deleted"] = self.reading.skipped.get("deleted", 0) + 1
                return None
            if deleted is None:
                errors.add(line, self.deleted.name, bad_bool(text))
        assert self.refreshed is not None
        text = fields[self.refreshed.index].strip()
        day = parse_date(text)
        if day is None:
            errors.add(line, self.refreshed.name, bad_date(text) if text else gettext(
                "the report refresh date is empty"))
        days = self.default_period
        if self.period is not None and (text := fields[self.period.index].strip()):
            found = PERIOD_TEXTS.get(text) or period(text)
            if found is None:
                errors.add(line, self.period.name, bad_period(text))
            else:
                days = found
        who: str | None = None
        hidden = False
        if self.person is not None:
            text = fields[self.person.index].strip()
            if not text:
                errors.add(line, self.person.name, gettext("the user principal name is empty"))
            elif "@" not in text and is_concealed(text):
                hidden, who = True, text
            else:
                who = text.lower()
                if not is_email(who):
                    errors.add(line, self.person.name, gettext(
                        "'%(value)s' is neither a user principal name (an address) nor a "
                        "concealed name") % {"value": text})
                    who = None
        return day, days, who, hidden

    def dated(self, line: int, fields: list[str], column: Column | None) -> dt.date | None:
        """An optional date cell: None when empty or absent; a bad one is reported."""
        if column is None:
            return None
        text = fields[column.index].strip()
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            self.errors.add(line, column.name, bad_date(text))
        return day

    def flag(self, line: int, fields: list[str], column: Column | None) -> bool:
        """An optional true/false cell (empty: false); a bad one is reported."""
        if column is None:
            return False
        text = fields[column.index].strip()
        value = FLAGS.get(text)
        if value is None:
            value = parse_bool(text)
            if value is None:
                self.errors.add(line, column.name, bad_bool(text))
                return False
        return value

    def count(self, line: int, text: str, column: Column) -> int:
        """A count cell that is not plain digits (empty: 0); a bad or negative one is
        reported."""
        value = parse_count(text)
        reason = count_error(text, value) if value is None or value < 0 else None
        if reason:
            self.errors.add(line, column.name, reason)
            return 0
        return value or 0

    def recent(self, last: dt.date | None, day: dt.date, days: int) -> bool:
        """Whether ``last`` falls within the ``days`` days ending on ``day``."""
        if last is None:
            return False
        start = self._starts.get((day, days))
        if start is None:
            start = self._starts[(day, days)] = day - dt.timedelta(days=days - 1)
        return last >= start

    def dates(self, day: dt.date, days: int) -> None:
        reading = self.reading
        if reading.report_date is None or day > reading.report_date:
            reading.report_date, reading.period_days = day, days

    def count_hidden(self, product: str, day: dt.date, metric: str, days: int,
                     value: int) -> None:
        key = (product, day, metric, days)
        self.tally[key] = self.tally.get(key, 0) + value

    def finish(self) -> Reading:
        """Concealed lines become tenant counts when every line is concealed; beside real
        names each is an error (a file mixing both cannot be trusted)."""
        reading = self.reading
        if self.hidden_lines and self.named:
            assert self.person is not None
            for line in self.hidden_lines:
                self.errors.add(line, self.person.name, gettext(
                    "this name is concealed (32 hexadecimal digits) while other lines give "
                    "real names: download the whole report again with the same setting"))
        elif self.hidden_lines:
            reading.concealed = True
            reading.tenant_counts = [
                TenantCount(product=product, day=day, metric=metric, value=value,
                            period_days=days)
                for (product, day, metric, days), value in self.tally.items()]
        return reading


# getOffice365ActiveUserDetail ----------------------------------------------------------------

def _active_users(table: Table, errors: Errors, period_days: int | None) -> Reading:
    lines = _Lines("m365-active-users", table, errors, period_days, person=(UPN,))
    if not lines.require({"person": lines.person}, {"person": "User Principal Name"}):
        return lines.reading
    products = []
    for name, key in PRODUCTS:
        lowered = name.lower()
        has = table.column(f"has {lowered} license")
        last = table.column(f"{lowered} last activity date")
        assigned = table.column(f"{lowered} license assign date")
        if has or last or assigned:
            products.append((key, has, last, assigned))
    reading = lines.reading
    activities, licences = reading.activities, reading.licences
    for line, fields in table.rows(errors):
        reading.rows_read += 1
        before = errors.total
        head = lines.head(line, fields)
        if head is None:
            continue
        day, days, who, hidden = head
        found = []
        for key, has, last, assigned in products:
            licensed = False
            if has is not None:
                flag = FLAGS.get(fields[has.index].strip())
                licensed = lines.flag(line, fields, has) if flag is None else flag
            last_day = lines.dated(line, fields, last)
            assigned_on = lines.dated(line, fields, assigned)
            found.append((key, has is not None, licensed, last_day, assigned_on,
                          last is not None))
        if errors.total != before or day is None or who is None:
            continue
        lines.dates(day, days)
        if hidden:
            lines.hidden_lines.append(line)
            for key, has_column, licensed, last_day, _assigned, last_column in found:
                if has_column:
                    lines.count_hidden(key, day, LICENSED, days, int(licensed))
                if last_column:
                    lines.count_hidden(key, day, ACTIVE, days,
                                       int(lines.recent(last_day, day, days)))
            continue
        lines.named += 1
        for key, _has, licensed, last_day, assigned_on, _last in found:
            if last_day is not None:
                activities.append(Activity(line, who, key, last_day, ACTIVE, 1.0, None, 1))
            if licensed:
                licences.append(Licence(line, who, key, assigned_on))
    return lines.finish()


# Teams, email, OneDrive ----------------------------------------------------------------------

_ISO_DURATION = re.compile(
    r"P(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?"
    r"(?:(\d+(?:[.,]\d+)?)S)?)?", re.IGNORECASE)
_DURATIONS: dict[str, float | None] = {}


def iso_duration(text: str) -> float | None:
    """Seconds in an ISO-8601 duration as the Teams report writes it (``PT5H12M``,
    ``PT0S``, ``P1DT2H``), or in ``H:MM:SS``; None when it is neither."""
    if text in _DURATIONS:
        return _DURATIONS[text]
    seconds: float | None = None
    match = _ISO_DURATION.fullmatch(text)
    if match and any(match.groups()) and not text.upper().endswith("T"):
        days, hours, minutes, secs = (float(part.replace(",", ".")) if part else 0.0
                                      for part in match.groups())
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
    elif text.count(":") == 2:
        parts = text.split(":")
        if all(part.isascii() and part.isdigit() for part in parts[:2]):
            rest = parse_number(parts[2])
            if rest is not None and rest >= 0:
                seconds = (int(parts[0]) * 60 + int(parts[1])) * 60 + rest
    if len(_DURATIONS) < 10_000:
        _DURATIONS[text] = seconds
    return seconds


def _activity(report: Report, table: Table, errors: Errors, period_days: int | None
              ) -> Reading:
    lines = _Lines(report.source, table, errors, period_days, person=report.person)
    last = table.column(LAST_ACTIVITY)
    person_name = "Owner Principal Name" if report is ONEDRIVE else "User Principal Name"
    if not lines.require({"person": lines.person, "last": last},
                         {"person": person_name, "last": "Last Activity Date"}):
        return lines.reading
    counts = []
    for metric, parts in report.counts:
        columns = [column for aliases in parts if (column := table.column(*aliases))]
        if columns:
            counts.append((metric, columns))
    durations = []
    for metric, seconds_aliases, iso_aliases in report.durations:
        seconds, iso = table.column(*seconds_aliases), table.column(*iso_aliases)
        if seconds or iso:
            durations.append((metric, seconds, iso))
    licensed_column = table.column(*report.licensed) if report.licensed else None
    product = report.product
    reading = lines.reading
    activities, licences = reading.activities, reading.licences
    for line, fields in table.rows(errors):
        reading.rows_read += 1
        before = errors.total
        head = lines.head(line, fields)
        if head is None:
            continue
        day, days, who, hidden = head
        last_day = lines.dated(line, fields, last)
        figures = []
        for metric, columns in counts:
            total = 0
            for column in columns:
                text = fields[column.index].strip()
                if text.isdigit() and text.isascii():
                    total += int(text)
                elif text:
                    total += lines.count(line, text, column)
            figures.append((metric, total))
        spent = [(metric, _seconds(lines, line, fields, seconds, iso))
                 for metric, seconds, iso in durations]
        licensed = lines.flag(line, fields, licensed_column)
        if errors.total != before or day is None or who is None:
            continue
        lines.dates(day, days)
        if hidden:
            lines.hidden_lines.append(line)
            lines.count_hidden(product, day, ACTIVE, days, int(lines.recent(last_day, day, days)))
            if licensed_column is not None:
                lines.count_hidden(product, day, LICENSED, days, int(licensed))
            continue
        lines.named += 1
        if last_day is not None:
            activities.append(Activity(line, who, product, last_day, ACTIVE, 1.0, None, 1))
        for metric, value in figures:
            if value:
                activities.append(Activity(line, who, product, day, metric, float(value), None,
                                           days))
        for metric, duration in spent:
            if duration:
                activities.append(Activity(line, who, product, day, metric, duration, duration,
                                           days))
        if licensed:
            licences.append(Licence(line, who, product, None))
    return lines.finish()


def _seconds(lines: _Lines, line: int, fields: list[str], seconds: Column | None,
             iso: Column | None) -> float:
    """A duration in seconds: the "… In Seconds" column, else the ISO-8601 one."""
    if seconds is not None and (text := fields[seconds.index].strip()):
        if text.isdigit() and text.isascii():
            return float(text)
        value = parse_number(text)
        if value is None or value < 0:
            lines.errors.add(line, seconds.name, gettext(
                "'%(value)s' is not a number of seconds") % {"value": text})
            return 0.0
        return value
    if iso is not None and (text := fields[iso.index].strip()):
        value = iso_duration(text)
        if value is None:
            lines.errors.add(line, iso.name, gettext(
                "'%(value)s' is not a duration (expected ISO 8601, as PT5H12M)")
                % {"value": text})
            return 0.0
        return value
    return 0.0


# getSharePointSiteUsageDetail ----------------------------------------------------------------

def _sharepoint(table: Table, errors: Errors, period_days: int | None) -> Reading:
    lines = _Lines("m365-sharepoint", table, errors, period_days)
    last = table.column(LAST_ACTIVITY)
    if not lines.require({"last": last}, {"last": "Last Activity Date"}):
        return lines.reading
    sums = [(metric, column) for metric, name in SHAREPOINT_SUMS
            if (column := table.column(name))]
    totals: dict[tuple[dt.date, int], dict[str, int]] = {}
    reading = lines.reading
    for line, fields in table.rows(errors):
        reading.rows_read += 1
        before = errors.total
        head = lines.head(line, fields)
        if head is None:
            continue
        day, days, _who, _hidden = head
        last_day = lines.dated(line, fields, last)
        figures = [(metric, lines.count(line, fields[column.index].strip(), column))
                   for metric, column in sums]
        if errors.total != before or day is None:
            continue
        lines.dates(day, days)
        total = totals.get((day, days))
        if total is None:
            total = totals[(day, days)] = dict.fromkeys(
                ["sites", "active_sites", *(metric for metric, _column in sums)], 0)
        total["sites"] += 1
        total["active_sites"] += lines.recent(last_day, day, days)
        for metric, value in figures:
            total[metric] += value
    reading.tenant_counts = [
        TenantCount(product="m365:sharepoint", day=day, metric=metric, value=value,
                    period_days=days)
        for (day, days), total in totals.items() for metric, value in total.items()]
    return reading
