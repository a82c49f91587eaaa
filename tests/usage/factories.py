"""Usage test data: people in bulk, event files as a real system writes them, imports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from phare.directory.models import Person
from phare.usage import engine, services, store


def make_people(org: dict[str, object], prefix: str, n: int, *, unit: str = "dsi",
                site: str = "paris", family: str = "it") -> list[Person]:
    """``n`` people of ``org`` in one unit, site and job family (emails ``<prefix><i>@…``)."""
    return Person.objects.bulk_create([
        Person(employee_id=f"{prefix}{i:04d}", first_name=prefix, last_name=f"N{i}",
               email=f"{prefix}{i}@example.com", business_unit=org[unit], site=org[site],
               job_family=org[family]) for i in range(n)])


def events_csv(rows: Iterable[Sequence[object]]) -> bytes:
    """An events file: ``(person, service, event, time)`` rows under the documented header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["person", "service", "event", "time"])
    writer.writerows(rows)
    return out.getvalue().encode()


def use(people: Iterable[Person], service: str, day: dt.date, *, event: str = "open"
        ) -> list[tuple[str, str, str, str]]:
    """Rows saying each person used ``service`` on ``day``."""
    return [(p.email, service, event, day.isoformat()) for p in people]


def import_events(rows: Iterable[Sequence[object]], *, today: dt.date
                  ) -> services.ImportReport:
    return services.import_usage(events_csv(rows), file_name="events.csv", source="events",
                                 today=today)


def service(slug: str, **values: object):
    """A live, published catalogue service (the offer families made when missing)."""
    from phare.catalog.models import OfferFamily
    from tests.catalog.factories import make_families, make_service

    if not OfferFamily.objects.exists():
        make_families()
    if "name" in values:
        values["name_fr"] = values.pop("name")
    return make_service(slug, **values)


# -- Microsoft 365 report files, built from the column headers Microsoft documents for its
# usage reports (Graph ``reportRoot`` CSV output: UTF-8 with a BOM, CRLF line ends).

ACTIVE_USERS = [
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
    "Has Exchange License", "Has OneDrive License", "Has SharePoint License",
    "Has Skype For Business License", "Has Yammer License", "Has Teams License",
    "Exchange Last Activity Date", "OneDrive Last Activity Date",
    "SharePoint Last Activity Date", "Skype For Business Last Activity Date",
    "Yammer Last Activity Date", "Teams Last Activity Date", "Exchange License Assign Date",
    "OneDrive License Assign Date", "SharePoint License Assign Date",
    "Skype For Business License Assign Date", "Yammer License Assign Date",
    "Teams License Assign Date", "Assigned Products",
]
TEAMS = [
    "Report Refresh Date", "Tenant Display Name", "Shared Channel Tenant Display Names",
    "User Id", "User Principal Name", "Last Activity Date", "Is Deleted", "Deleted Date",
    "Assigned Products", "Team Chat Message Count", "Private Chat Message Count", "Call Count",
    "Meeting Count", "Post Messages", "Reply Messages", "Urgent Messages",
    "Meetings Organized Count", "Meetings Attended Count", "Ad Hoc Meetings Organized Count",
    "Ad Hoc Meetings Attended Count", "Scheduled One-time Meetings Organized Count",
    "Scheduled One-time Meetings Attended Count",
    "Scheduled Recurring Meetings Organized Count",
    "Scheduled Recurring Meetings Attended Count", "Audio Duration", "Video Duration",
    "Screen Share Duration", "Audio Duration In Seconds", "Video Duration In Seconds",
    "Screen Share Duration In Seconds", "Has Other Action", "Is Licensed", "Report Period",
]
#: The older 12-column layout of the Teams report, still met in saved files.
TEAMS_OLDER = [
    "Report Refresh Date", "User Principal Name", "Last Activity Date", "Is Deleted",
    "Deleted Date", "Assigned Products", "Team Chat Message Count",
    "Private Chat Message Count", "Call Count", "Meeting Count", "Has Other Action",
    "Report Period",
]
EMAIL = [
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
    "Last Activity Date", "Send Count", "Receive Count", "Read Count",
    "Meeting Created Count", "Meeting Interacted Count", "Assigned Products", "Report Period",
]
ONEDRIVE = [
    "Report Refresh Date", "Site URL", "Owner Display Name", "Is Deleted", "Last Activity Date",
    "File Count", "Active File Count", "Storage Used (Byte)", "Storage Allocated (Byte)",
    "Owner Principal Name", "Report Period",
]
SHAREPOINT = [
    "Report Refresh Date", "Site Id", "Site URL", "Owner Display Name", "Is Deleted",
    "Last Activity Date", "File Count", "Active File Count", "Page View Count",
    "Visited Page Count", "Storage Used (Byte)", "Storage Allocated (Byte)",
    "Root Web Template", "Owner Principal Name", "Report Period",
]


def csv_bytes(header: Sequence[str], rows: Sequence[Mapping[str, object]], *,
              encoding: str = "utf-8-sig", delimiter: str = ",", newline: str = "\r\n") -> bytes:
    """A CSV file with ``header``; each row gives the cells it names (the others empty)."""
    out = io.StringIO()
    out.write(delimiter.join(_quoted(name, delimiter) for name in header) + newline)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, f"cells outside the header: {unknown}"
        out.write(delimiter.join(_quoted(str(row.get(name, "")), delimiter)
                                 for name in header) + newline)
    return out.getvalue().encode(encoding)


def _quoted(text: str, delimiter: str) -> str:
    if any(char in text for char in (delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def active_user(upn: str, *, refreshed: str = "2026-11-30", deleted: str = "False",
                **products: tuple[str, str, str]) -> dict[str, object]:
    """A line of the active users report; ``products`` maps a product's name as the header
    writes it without spaces (``Exchange``, ``SkypeForBusiness``…) to (has licence, last
    activity date, licence assign date)."""
    row: dict[str, object] = {"Report Refresh Date": refreshed, "User Principal Name": upn,
                              "Display Name": upn.split("@")[0], "Is Deleted": deleted,
                              "Assigned Products": "MICROSOFT 365 E3"}
    names = {"Exchange": "Exchange", "OneDrive": "OneDrive", "SharePoint": "SharePoint",
             "SkypeForBusiness": "Skype For Business", "Yammer": "Yammer", "Teams": "Teams"}
    for key, name in names.items():
        has, last, assigned = products.get(key, ("False", "", ""))
        row[f"Has {name} License"] = has
        row[f"{name} Last Activity Date"] = last
        row[f"{name} License Assign Date"] = assigned
    return row


def teams_user(upn: str, *, refreshed: str = "2026-11-30", last: str = "2026-11-29",
               period: str = "30", licensed: str = "Yes", **counts: object) -> dict[str, object]:
    """A line of the current Teams user activity report; ``counts`` gives columns by their
    header name with spaces as underscores (``Team_Chat_Message_Count=3``), zero otherwise."""
    row: dict[str, object] = {name: 0 for name in TEAMS if "Count" in name or name in (
        "Post Messages", "Reply Messages", "Urgent Messages")}
    for name in ("Audio", "Video", "Screen Share"):
        row[f"{name} Duration"] = "PT0S"
        row[f"{name} Duration In Seconds"] = 0
    row.update({"Report Refresh Date": refreshed, "Tenant Display Name": "Example Group",
                "User Id": "3f2a9c1e-0000-4000-8000-000000000009", "User Principal Name": upn,
                "Last Activity Date": last, "Is Deleted": "False",
                "Assigned Products": "MICROSOFT 365 E3", "Has Other Action": "No",
                "Is Licensed": licensed, "Report Period": period})
    for key, value in counts.items():
        name = key.replace("_", " ")
        assert name in TEAMS, name
        row[name] = value
    return row


# A small hand-made usage store with known answers (tests/usage/test_engine.py) ------------

A, B, C, D, E = ("a" * 32, "b" * 32, "c" * 32, "d" * 32, "e" * 32)
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
U1 = ("U1", "S1", "J1")
U2 = ("U2", "S2", None)
NOBODY = (None, None, None)  # people missing from the people file (D, E)


def day(month: int, number: int) -> dt.date:
    return dt.date(2026, month, number)


def events(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (person, service, day, metric[, value, duration, period_days])."""
    out = []
    for row in rows:
        person, service, when, metric, *rest = row
        value, duration, period = (*rest, None, 1)[:3] if rest else (1.0, None, 1)
        out.append({"person": person, "service": service, "day": when, "metric": metric,
                    "value": value, "duration": duration, "period_days": period})
    return pd.DataFrame(out)


def fill(folder: Path) -> None:
    """The store every test reads: service 1 used by A, B, C (in the people file) and D, E
    (not in it) over January to March 2026, service 2 by A; Teams depth in January (two
    reports from A, the latest counts), e-mail depth in February from another source."""
    store.write_people(pd.DataFrame({"person": [A, B, C], "unit": ["U1", "U1", "U2"],
                                     "site": ["S1", "S1", "S2"],
                                     "job_family": ["J1", "J1", None]}))
    store.merge("events", events([
        (A, 1, day(1, 5), "active"), (A, 1, day(1, 6), "active"),
        (A, 1, day(1, 6), "event:open"),  # the same day again: one active day
        (B, 1, day(1, 12), "event:login"),
        (C, 1, day(1, 31), "active"),
        (D, 1, day(1, 20), "active"),
        (A, 2, day(1, 7), "active"),
        (A, 1, day(2, 2), "active"),
        (C, 1, day(2, 3), "active"), (C, 1, day(2, 10), "active"),
        (E, 1, day(2, 20), "active"),
        (A, 2, day(2, 10), "active"),
        (D, 1, day(3, 3), "active"), (E, 1, day(3, 1), "active"),
    ]))
    store.merge("m365-teams", events([
        (A, 1, day(1, 10), "teams.meetings", 7.0, 700.0, 7),
        (A, 1, day(1, 24), "teams.meetings", 14.0, None, 7),
        (B, 1, day(1, 31), "teams.meetings", 30.0, 3000.0, 30),
    ]))
    store.merge("m365-email", events([(C, 2, day(2, 5), "email.sent", 10.0, None, 30)]))


def forget_person_months(folder: Path) -> None:
    """Make the store at ``folder`` one written before person-months existed: its manifest
    names none (their files stay, unread)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.pop("person_months")
    (folder / "manifest.json").write_text(json.dumps(manifest))


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in frame.itertuples(index=False)]


#: Every metric of the engine, for comparisons between engines or stores.
METRICS: dict[str, Callable[[engine.Engine], pd.DataFrame]] = {
    "monthly": lambda usage: usage.monthly(),
    "monthly of some": lambda usage: usage.monthly(services=[1], months=[FEB, MAR]),
    "daily": lambda usage: usage.daily(),
    "weekly": lambda usage: usage.weekly(),
    "first_use": lambda usage: usage.first_use(1, dt.date(2026, 1, 6)),
    "cohorts": lambda usage: usage.cohorts(1),
    "depth": lambda usage: usage.depth(),
    "last_active": lambda usage: usage.last_active(1),
    "last_active before": lambda usage: usage.last_active(1, before=day(2, 3)),
    "fold": lambda usage: usage.fold([JAN, FEB]),
}
