"""The usage readers: Microsoft 365 reports, events and licences, from bytes to records."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from phare.lib.imports import RowError
from phare.usage import sources
from phare.usage.records import ACTIVE, Activity, Licence, Seats, TenantCount
from phare.usage.sources.common import MAX_ERRORS
from phare.usage.sources.m365 import iso_duration
from tests.usage import factories as files


@pytest.fixture(autouse=True)
def _in_english():
    # The reasons are checked in the source language (French is the default one).
    from django.utils import translation

    with translation.override("en"):
        yield

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "m365"
NOV30 = dt.date(2026, 11, 30)
PRODUCTS = {"Exchange": "m365:exchange", "OneDrive": "m365:onedrive",
            "SharePoint": "m365:sharepoint", "Skype For Business": "m365:skype",
            "Yammer": "m365:yammer", "Teams": "m365:teams"}


def reference(name: str) -> bytes:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference file absent: {path} (CI always has ../shared/reference)")
    return path.read_bytes()


def rows_of(data: bytes) -> list[dict[str, str]]:
    """The file's lines as the csv module reads them, to check the readers against."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def by_metric(activities: list[Activity]) -> Counter[str]:
    return Counter(activity.metric for activity in activities)


# The reference layouts -----------------------------------------------------------------------

def test_it_reads_the_reference_active_users_report():
    data = reference("office365-active-user-detail.csv")
    reading = sources.read(data)
    rows = rows_of(data)
    assert reading.errors == []
    assert reading.source == "m365-active-users"
    assert reading.rows_read == len(rows) == 2
    assert reading.report_date == NOV30 and reading.period_days == 30
    assert not reading.concealed and reading.tenant_counts == []
    assert len(reading.activities) == sum(
        1 for row in rows for name in PRODUCTS if row[f"{name} Last Activity Date"])
    assert len(reading.licences) == sum(
        1 for row in rows for name in PRODUCTS if row[f"Has {name} License"] == "True")
    assert Activity(2, "claire.martin@example.com", "m365:onedrive",
                    dt.date(2026, 11, 27)) in reading.activities
    assert Licence(3, "paul.durand@example.com", "m365:teams",
                   dt.date(2024, 3, 2)) in reading.licences
    assert {activity.metric for activity in reading.activities} == {ACTIVE}


def test_it_reads_the_reference_teams_report():
    data = reference("teams-user-activity-user-detail.csv")
    reading = sources.read(data)
    rows = rows_of(data)
    assert reading.errors == [] and reading.source == "m365-teams"
    assert reading.rows_read == len(rows)
    claire = [a for a in reading.activities if a.person == "claire.martin@example.com"]
    first = rows[0]
    chat = int(first["Team Chat Message Count"]) + int(first["Private Chat Message Count"])
    figures = {a.metric: a.value for a in claire}
    assert figures == {
        ACTIVE: 1.0, "teams.chat_messages": chat, "teams.calls": int(first["Call Count"]),
        "teams.meetings": int(first["Meeting Count"]),
        "teams.meetings_organized": int(first["Meetings Organized Count"]),
        "teams.meetings_attended": int(first["Meetings Attended Count"]),
        "teams.audio": float(first["Audio Duration In Seconds"]),
        "teams.video": float(first["Video Duration In Seconds"]),
        "teams.screen_share": float(first["Screen Share Duration In Seconds"])}
    audio = next(a for a in claire if a.metric == "teams.audio")
    assert audio.duration == 18720 and audio.day == NOV30 and audio.period_days == 30
    # Paul has no activity and only zeros: no record but his licence.
    assert not [a for a in reading.activities if a.person == "paul.durand@example.com"]
    assert len(reading.licences) == sum(1 for row in rows if row["Is Licensed"] == "Yes")
    assert {licence.product for licence in reading.licences} == {"m365:teams"}


def test_it_reads_the_reference_older_teams_layout():
    data = reference("teams-user-activity-user-detail-older-columns.csv")
    reading = sources.read(data)
    assert reading.errors == [] and reading.source == "m365-teams"
    assert by_metric(reading.activities) == {
        ACTIVE: 1, "teams.chat_messages": 1, "teams.calls": 1, "teams.meetings": 1}
    assert reading.licences == []  # the older layout has no "Is Licensed"


def test_it_reads_the_reference_email_onedrive_and_sharepoint_reports():
    email = sources.read(reference("email-activity-user-detail.csv"))
    assert email.errors == [] and email.source == "m365-email"
    assert {a.metric: a.value for a in email.activities} == {
        ACTIVE: 1, "email.sent": 210, "email.received": 890, "email.read": 760,
        "email.meetings_created": 12, "email.meetings_interacted": 30}
    assert {a.product for a in email.activities} == {"m365:exchange"}

    onedrive = sources.read(reference("onedrive-usage-account-detail.csv"))
    assert onedrive.errors == [] and onedrive.source == "m365-onedrive"
    assert {a.metric: a.value for a in onedrive.activities} == {
        ACTIVE: 1, "onedrive.files": 1520, "onedrive.active_files": 88,
        "onedrive.storage_bytes": 5368709120}
    assert {a.person for a in onedrive.activities} == {"claire.martin@example.com"}

    data = reference("sharepoint-site-usage-detail.csv")
    sharepoint = sources.read(data)
    site = rows_of(data)[0]
    assert sharepoint.errors == [] and sharepoint.source == "m365-sharepoint"
    assert sharepoint.activities == [] and sharepoint.licences == []
    assert {c.metric: c.value for c in sharepoint.tenant_counts} == {
        "sites": 1, "active_sites": 1, "page_views": int(site["Page View Count"]),
        "visited_pages": int(site["Visited Page Count"]), "files": int(site["File Count"]),
        "active_files": int(site["Active File Count"])}
    assert {(c.product, c.day, c.period_days) for c in sharepoint.tenant_counts} == {
        ("m365:sharepoint", NOV30, 30)}


def test_it_reads_the_reference_concealed_report_as_tenant_counts_only():
    reading = sources.read(reference("office365-active-user-detail-concealed.csv"))
    assert reading.errors == [] and reading.concealed
    assert reading.activities == [] and reading.licences == []
    counts = {(c.product, c.metric): c.value for c in reading.tenant_counts}
    assert counts[("m365:exchange", "licensed")] == 2
    assert counts[("m365:exchange", "active")] == 2
    assert counts[("m365:teams", "active")] == 1
    assert counts[("m365:yammer", "licensed")] == 0
    assert {c.day for c in reading.tenant_counts} == {NOV30}


def test_it_detects_each_reference_layout_from_its_header():
    expected = {
        "office365-active-user-detail.csv": "m365-active-users",
        "office365-active-user-detail-concealed.csv": "m365-active-users",
        "teams-user-activity-user-detail.csv": "m365-teams",
        "teams-user-activity-user-detail-older-columns.csv": "m365-teams",
        "email-activity-user-detail.csv": "m365-email",
        "onedrive-usage-account-detail.csv": "m365-onedrive",
        "sharepoint-site-usage-detail.csv": "m365-sharepoint",
    }
    for name, source in expected.items():
        header = next(csv.reader(io.StringIO(reference(name).decode("utf-8"))))
        assert header[0].startswith("\ufeff")  # detect() takes the BOM off itself
        assert sources.detect(header) == source, name


# Built files: Microsoft 365 ------------------------------------------------------------------

def test_it_detects_every_source_from_the_documented_headers():
    assert sources.detect(files.ACTIVE_USERS) == "m365-active-users"
    assert sources.detect(files.TEAMS) == "m365-teams"
    assert sources.detect(files.TEAMS_OLDER) == "m365-teams"
    assert sources.detect(files.EMAIL) == "m365-email"
    assert sources.detect(files.ONEDRIVE) == "m365-onedrive"
    assert sources.detect(files.SHAREPOINT) == "m365-sharepoint"
    assert sources.detect([" Person ", "SERVICE", "event", "time", "count"]) == "events"
    assert sources.detect(["employee_id", "application", "action", "time"]) == "events"
    assert sources.detect(["service", "person", "assigned_on"]) == "licences"
    assert sources.detect(["service", "seats", "cost_per_seat"]) == "licences"
    assert sources.detect(["service", "person"]) == "licences"
    assert sources.detect(["name", "email", "team"]) is None


def test_it_refuses_an_unknown_layout_with_one_error_listing_what_phare_reads():
    reading = sources.read(files.csv_bytes(["name", "email"], [{"name": "a", "email": "b"}]))
    assert len(reading.errors) == 1
    error = reading.errors[0]
    assert error.line == 1 and error.column == ""
    for word in ("Microsoft 365", "Teams", "SharePoint", "events", "licences"):
        assert word in error.reason


def test_it_reads_active_users_skipping_deleted_accounts():
    data = files.csv_bytes(files.ACTIVE_USERS, [
        files.active_user("Claire.Martin@Example.com ",
                          Exchange=("True", "2026-11-29", "2024-01-10"),
                          Teams=("True", "", "2024-01-10"),
                          Yammer=("False", "2026-11-02", "")),
        files.active_user("gone@example.com", deleted="True",
                          Exchange=("True", "2026-10-01", "2024-01-10")),
        files.active_user("paul.durand@example.com", Exchange=("True", "", "")),
        {},  # a line of empty cells, as Excel leaves them: not a line at all
    ])
    reading = sources.read(data)
    assert reading.errors == []
    assert reading.rows_read == 3
    assert reading.skipped == {"deleted": 1}
    assert reading.activities == [
        Activity(2, "claire.martin@example.com", "m365:exchange", dt.date(2026, 11, 29)),
        Activity(2, "claire.martin@example.com", "m365:yammer", dt.date(2026, 11, 2))]
    assert reading.licences == [
        Licence(2, "claire.martin@example.com", "m365:exchange", dt.date(2024, 1, 10)),
        Licence(2, "claire.martin@example.com", "m365:teams", dt.date(2024, 1, 10)),
        Licence(4, "paul.durand@example.com", "m365:exchange", None)]


def test_it_ignores_unknown_columns_and_reads_them_in_any_order():
    header = ["Copilot Last Activity Date", *reversed(files.EMAIL), "Some Future Column"]
    row = {"Report Refresh Date": "2026-11-30", "User Principal Name": "a.b@example.com",
           "Last Activity Date": "2026-11-28", "Send Count": "4", "Receive Count": "0",
           "Copilot Last Activity Date": "2026-11-27", "Some Future Column": "whatever"}
    reading = sources.read(files.csv_bytes(header, [row]))
    assert reading.errors == [] and reading.source == "m365-email"
    assert {a.metric: a.value for a in reading.activities} == {ACTIVE: 1, "email.sent": 4}


def test_it_reads_a_report_saved_by_a_french_excel():
    # Excel in French: semicolons; "Unicode text" is UTF-16, "CSV" is Windows-1252.
    header = [*files.EMAIL, "Unité"]
    row = {"Report Refresh Date": "30/11/2026", "User Principal Name": "zoé@example.com",
           "Last Activity Date": "29/11/2026", "Is Deleted": "FAUX", "Send Count": "7",
           "Report Period": "7", "Unité": "Siège"}
    for encoding in ("utf-16", "cp1252"):
        data = files.csv_bytes(header, [row], encoding=encoding, delimiter=";")
        reading = sources.read(data)
        assert reading.errors == [], encoding
        assert reading.source == "m365-email" and reading.period_days == 7
        assert reading.activities == [
            Activity(2, "zoé@example.com", "m365:exchange", dt.date(2026, 11, 29)),
            Activity(2, "zoé@example.com", "m365:exchange", NOV30, "email.sent", 7.0,
                     period_days=7)]


def test_it_reads_teams_durations_and_leaves_zero_counts_out():
    header = [name for name in files.TEAMS if not name.endswith("In Seconds")]
    row = files.teams_user("a@example.com", period="7", Call_Count=3,
                           Private_Chat_Message_Count=2, Team_Chat_Message_Count=0)
    row["Video Duration"] = "PT1H2M3S"
    row["Screen Share Duration"] = "PT40M"
    row = {key: value for key, value in row.items() if key in header}
    reading = sources.read(files.csv_bytes(header, [row]))
    assert reading.errors == []
    assert {(a.metric, a.value, a.duration, a.period_days) for a in reading.activities} == {
        (ACTIVE, 1.0, None, 1), ("teams.chat_messages", 2.0, None, 7),
        ("teams.calls", 3.0, None, 7), ("teams.video", 3723.0, 3723.0, 7),
        ("teams.screen_share", 2400.0, 2400.0, 7)}
    assert reading.licences == [Licence(2, "a@example.com", "m365:teams")]


def test_it_reads_iso_durations():
    assert iso_duration("PT5H12M") == 18720
    assert iso_duration("PT0S") == 0
    assert iso_duration("P1DT2H") == 93600
    assert iso_duration("PT1.5S") == 1.5
    assert iso_duration("01:02:03") == 3723
    assert iso_duration("PT") is None
    assert iso_duration("5 hours") is None


def test_it_builds_the_older_teams_layout():
    row = {"Report Refresh Date": "2026-11-30", "User Principal Name": "a@example.com",
           "Last Activity Date": "2026-11-30", "Is Deleted": "False",
           "Team Chat Message Count": "1", "Private Chat Message Count": "",
           "Call Count": "0", "Meeting Count": "2", "Report Period": "90"}
    reading = sources.read(files.csv_bytes(files.TEAMS_OLDER, [row]))
    assert reading.errors == [] and reading.period_days == 90
    assert {a.metric: a.value for a in reading.activities} == {
        ACTIVE: 1, "teams.chat_messages": 1, "teams.meetings": 2}


def test_it_reads_onedrive_by_owner_and_sharepoint_sites_active_within_the_period():
    onedrive = sources.read(files.csv_bytes(files.ONEDRIVE, [
        {"Report Refresh Date": "2026-11-30", "Owner Principal Name": "A@Example.com",
         "Last Activity Date": "", "File Count": "3", "Active File Count": "0",
         "Storage Used (Byte)": "1024", "Report Period": "30"},
        {"Report Refresh Date": "2026-11-30", "Owner Principal Name": "b@example.com",
         "Is Deleted": "True", "Report Period": "30"}]))
    assert onedrive.errors == [] and onedrive.skipped == {"deleted": 1}
    assert {(a.person, a.metric, a.value) for a in onedrive.activities} == {
        ("a@example.com", "onedrive.files", 3), ("a@example.com", "onedrive.storage_bytes",
                                                 1024)}

    site = {"Report Refresh Date": "2026-11-30", "Site URL": "https://x/sites/a",
            "File Count": "10", "Active File Count": "1", "Page View Count": "100",
            "Visited Page Count": "5", "Report Period": "30"}
    sharepoint = sources.read(files.csv_bytes(files.SHAREPOINT, [
        {**site, "Last Activity Date": "2026-11-01"},   # the first day of the 30
        {**site, "Last Activity Date": "2026-10-31"},   # one day before: not active
        {**site, "Last Activity Date": ""},
        {**site, "Last Activity Date": "2026-11-30", "Is Deleted": "True"}]))
    assert sharepoint.errors == [] and sharepoint.skipped == {"deleted": 1}
    assert {c.metric: c.value for c in sharepoint.tenant_counts} == {
        "sites": 3, "active_sites": 1, "page_views": 300, "visited_pages": 15, "files": 30,
        "active_files": 3}


def test_it_takes_the_period_from_the_column_else_the_argument_else_30():
    row = {"Report Refresh Date": "2026-11-30", "User Principal Name": "a@example.com",
           "Has Exchange License": "True", "Exchange Last Activity Date": "2026-11-01"}
    data = files.csv_bytes(files.ACTIVE_USERS, [row])
    assert sources.read(data).period_days == 30
    assert sources.read(data, period_days=7).period_days == 7
    refused = sources.read(data, period_days=14)
    assert [(e.line, e.column) for e in refused.errors] == [(1, "")]
    assert "14" in refused.errors[0].reason

    email = files.csv_bytes(files.EMAIL, [
        {"Report Refresh Date": "2026-11-30", "User Principal Name": "a@example.com",
         "Last Activity Date": "2026-11-01", "Send Count": 1, "Report Period": "D180"},
        {"Report Refresh Date": "2026-11-30", "User Principal Name": "b@example.com",
         "Last Activity Date": "2026-11-01", "Send Count": 1, "Report Period": "60"}])
    reading = sources.read(email, period_days=7)
    assert reading.errors == [RowError(3, "Report Period", reading.errors[0].reason)]
    assert "60" in reading.errors[0].reason
    assert {a.period_days for a in reading.activities if a.metric == "email.sent"} == {180}


def test_it_keeps_the_latest_refresh_date_as_the_report_date():
    rows = [{"Report Refresh Date": day, "User Principal Name": "a@example.com",
             "Last Activity Date": day, "Report Period": "7"}
            for day in ("2026-11-23", "2026-11-30", "2026-11-16")]
    reading = sources.read(files.csv_bytes(files.EMAIL, rows))
    assert reading.errors == [] and reading.report_date == NOV30


def test_it_reads_concealed_names_as_tenant_counts_only():
    hidden = ["FE7CC8C15246EDCCA289C9A4022762F7", "0a4d55a8d778e5022fab701977c5d840",
              "11111111111111111111111111111111"]
    reading = sources.read(files.csv_bytes(files.TEAMS, [
        files.teams_user(hidden[0], last="2026-11-29", Call_Count=4),
        files.teams_user(hidden[1], last="2026-10-01", licensed="No"),
        files.teams_user(hidden[2], last=""),
    ]))
    assert reading.errors == [] and reading.concealed
    assert reading.activities == [] and reading.licences == []
    assert sorted(reading.tenant_counts, key=lambda c: c.metric) == [
        TenantCount("m365:teams", NOV30, "active", 1, 30),
        TenantCount("m365:teams", NOV30, "licensed", 2, 30)]
    # Nothing anywhere keeps a concealed name.
    assert not any(name in repr(reading) for name in hidden)


def test_it_refuses_a_file_mixing_concealed_and_real_names():
    reading = sources.read(files.csv_bytes(files.ACTIVE_USERS, [
        files.active_user("a@example.com", Exchange=("True", "2026-11-29", "")),
        files.active_user("FE7CC8C15246EDCCA289C9A4022762F7",
                          Exchange=("True", "2026-11-29", "")),
        files.active_user("0A4D55A8D778E5022FAB701977C5D840"),
    ]))
    assert not reading.concealed and reading.tenant_counts == []
    assert [(e.line, e.column) for e in reading.errors] == [
        (3, "User Principal Name"), (4, "User Principal Name")]
    assert "concealed" in reading.errors[0].reason
    assert reading.refused == 2


def test_it_refuses_a_missing_column_with_one_error_on_line_1():
    header = [name for name in files.TEAMS if name != "User Principal Name"]
    reading = sources.read(files.csv_bytes(header, [{"Report Refresh Date": "2026-11-30"}]))
    assert reading.source == "m365-teams"
    assert reading.errors == [RowError(1, "User Principal Name", reading.errors[0].reason)]
    assert "User Principal Name" in reading.errors[0].reason
    assert reading.activities == []


def test_it_checks_a_file_against_the_source_it_is_told():
    reading = sources.read(reference("email-activity-user-detail.csv"), source="m365-onedrive")
    assert [(e.line, e.column) for e in reading.errors] == [(1, "Owner Principal Name")]
    with pytest.raises(ValueError, match="unknown usage source"):
        sources.read(b"a,b\r\n", source="m365-copilot")


def test_it_reports_every_bad_cell_with_its_line_and_column():
    rows = [
        {"Report Refresh Date": "2026-11-30", "User Principal Name": "ok@example.com",
         "Last Activity Date": "2026-11-29", "Send Count": "3"},
        {"Report Refresh Date": "2026-11-31", "User Principal Name": "a@example.com",
         "Last Activity Date": "yesterday", "Send Count": "-2", "Read Count": "1.5",
         "Is Deleted": "maybe"},
        {"Report Refresh Date": "", "User Principal Name": "",
         "Last Activity Date": "2026-11-29"},
        {"Report Refresh Date": "2026-11-30", "User Principal Name": "not an address",
         "Last Activity Date": "2026-11-29"},
    ]
    reading = sources.read(files.csv_bytes(files.EMAIL, rows))
    assert [(e.line, e.column) for e in reading.errors] == [
        (3, "Is Deleted"), (3, "Report Refresh Date"), (3, "Last Activity Date"),
        (3, "Send Count"), (3, "Read Count"),
        (4, "Report Refresh Date"), (4, "User Principal Name"),
        (5, "User Principal Name")]
    reasons = [e.reason for e in reading.errors]
    assert "2026-11-31" in reasons[1] and "yesterday" in reasons[2]
    assert "negative" in reasons[3] and "whole number" in reasons[4]
    assert reading.refused == 3 and reading.rows_read == 4
    # The good line is still read (for counts), but the file is refused as a whole.
    assert {a.person for a in reading.activities} == {"ok@example.com"}


def test_it_lists_a_thousand_errors_then_says_how_many_more():
    rows = [{"Report Refresh Date": "2026-11-30", "User Principal Name": f"u{i}@example.com",
             "Last Activity Date": "bad"} for i in range(MAX_ERRORS + 5)]
    reading = sources.read(files.csv_bytes(files.EMAIL, rows))
    assert len(reading.errors) == MAX_ERRORS + 1
    last = reading.errors[-1]
    assert last.line == MAX_ERRORS + 6 and last.column == ""
    assert "5 more errors" in last.reason and str(MAX_ERRORS) in last.reason


def test_it_reports_an_unreadable_file_on_its_line():
    assert sources.read(b"").errors[0].line == 1
    assert sources.read(b"\r\n\r\n").errors[0].line == 1
    broken = files.csv_bytes(files.EMAIL, [
        {"Report Refresh Date": "2026-11-30", "User Principal Name": "a@example.com",
         "Last Activity Date": "2026-11-29"}]) + (
        b'2026-11-30,"b@example.com,B,False,,2026-11-29\r\n2026-11-30,c@example.com\r\n')
    # The quote never closed swallows the next line into the name: line 3 is refused.
    reading = sources.read(broken)
    assert [(e.line, e.column) for e in reading.errors] == [(3, "User Principal Name")]
    # A record the csv module gives up on (a field over its size limit) ends the reading.
    huge = files.csv_bytes(files.EMAIL, []) + b'"' + b"x" * 200_000 + b"\r\n"
    assert [(e.line, e.column) for e in sources.read(huge).errors] == [(2, "")]
    binary = sources.read(b"Report Refresh Date\r\n\x00\x01")
    assert binary.errors and binary.errors[0].line == 2


# Events --------------------------------------------------------------------------------------

EVENTS = ["person", "service", "event", "time", "count", "duration"]


def test_it_reads_events_summing_one_person_service_day_and_name():
    rows = [
        {"person": "A.Martin@Example.com", "service": "Intranet", "event": "page_view",
         "time": "2026-03-01T09:00:00", "count": "2", "duration": "30"},
        {"person": "E1234", "service": "intranet", "event": "page_view",
         "time": "2026-03-01T23:30:00Z"},
        {"person": "a.martin@example.com", "service": "intranet", "event": "page_view",
         "time": "2026-03-01 18:00", "duration": "12.5"},
        {"person": "a.martin@example.com", "service": "intranet", "event": "search",
         "time": "2026-03-01"},
        {"person": "a.martin@example.com", "service": "intranet", "event": "page_view",
         "time": "2026-03-01T23:30:00+00:00"},
    ]
    reading = sources.read(files.csv_bytes(EVENTS, rows))
    assert reading.errors == [] and reading.source == "events" and reading.rows_read == 5
    mar1, mar2 = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    assert reading.activities == [
        Activity(2, "a.martin@example.com", "intranet", mar1, "event:page_view", 3.0, 42.5),
        # 23:30 UTC is 00:30 on 2 March in Paris.
        Activity(3, "E1234", "intranet", mar2, "event:page_view", 1.0, None),
        Activity(5, "a.martin@example.com", "intranet", mar1, "event:search", 1.0, None),
        Activity(6, "a.martin@example.com", "intranet", mar2, "event:page_view", 1.0, None)]
    # In New York the same instant is still the 1st; naive times stay on their own day.
    newyork = sources.read(files.csv_bytes(EVENTS, rows), time_zone="America/New_York")
    assert {a.day for a in newyork.activities} == {mar1}


def test_it_reads_events_with_aliased_columns():
    header = ["Employee_ID", "Application", "Action", "Time", "Extra"]
    reading = sources.read(files.csv_bytes(header, [
        {"Employee_ID": "E1", "Application": "vdi", "Action": "logon",
         "Time": "2026-03-05T08:00:00+01:00", "Extra": "x"}]))
    assert reading.errors == [] and reading.source == "events"
    assert reading.activities == [
        Activity(2, "E1", "vdi", dt.date(2026, 3, 5), "event:logon", 1.0)]


def test_it_reports_bad_event_cells():
    rows = [
        {"person": "", "service": "intranet", "event": "x", "time": "2026-03-01"},
        {"person": "has space", "service": "intra net", "event": "", "time": "tomorrow"},
        {"person": "a@b", "service": "intranet", "event": "x", "time": "2026-03-01",
         "count": "0", "duration": "-1"},
        {"person": "a@example.com", "service": "intranet", "event": "x", "time": "2026-03-01",
         "count": "1.5", "duration": "soon"},
    ]
    reading = sources.read(files.csv_bytes(EVENTS, rows))
    assert [(e.line, e.column) for e in reading.errors] == [
        (2, "person"), (3, "person"), (3, "service"), (3, "event"), (3, "time"),
        (4, "person"), (4, "count"), (4, "duration"), (5, "count"), (5, "duration")]
    assert "employee id" in reading.errors[1].reason
    assert reading.activities == []


def test_it_refuses_events_without_a_time_column():
    reading = sources.read(files.csv_bytes(["person", "service", "event", "when"], []),
                           source="events")
    assert [(e.line, e.column) for e in reading.errors] == [(1, "time")]


def parquet_bytes(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def test_it_reads_events_from_parquet():
    utc = dt.UTC
    data = parquet_bytes(pa.table({
        "employee_id": ["E1", "E1", "E2", "E3"],
        "service": ["vdi", "vdi", "vdi", "vdi"],
        "event": ["logon", "logon", "logon", "logon"],
        "time": pa.array([dt.datetime(2026, 3, 1, 23, 30, tzinfo=utc),
                          dt.datetime(2026, 3, 2, 8, 0, tzinfo=utc),
                          dt.datetime(2026, 3, 1, 12, 0, tzinfo=utc),
                          dt.datetime(2026, 3, 1, 12, 0, tzinfo=utc)],
                         type=pa.timestamp("ns", tz="UTC")),
        "count": pa.array([1, 2, 3, 0], type=pa.int64()),
        "duration": pa.array([10.0, None, 1.0, 1.0]),
    }))
    assert data.startswith(b"PAR1")
    reading = sources.read(data)
    assert reading.source == "events" and reading.rows_read == 4
    # The fourth row (line 5, as if the file were CSV) has a count of 0.
    assert [(e.line, e.column) for e in reading.errors] == [(5, "count")]
    assert reading.activities == [
        Activity(2, "E1", "vdi", dt.date(2026, 3, 2), "event:logon", 3.0, 10.0),
        Activity(4, "E2", "vdi", dt.date(2026, 3, 1), "event:logon", 3.0, 1.0)]


def test_it_reads_parquet_naive_times_and_text_times_in_the_time_zone():
    data = parquet_bytes(pa.table({
        "email": ["A@example.com", "a@example.com"], "application": ["crm", "crm"],
        "name": ["open", "open"],
        "time": ["2026-03-01T23:30:00Z", "2026-03-01T23:30:00"]}))
    reading = sources.read(data, time_zone="Europe/Paris")
    assert reading.errors == []
    assert [(a.line, a.day) for a in reading.activities] == [
        (2, dt.date(2026, 3, 2)), (3, dt.date(2026, 3, 1))]
    naive = parquet_bytes(pa.table({
        "person": ["E9"], "service": ["crm"], "event": ["open"],
        "time": pa.array([dt.datetime(2026, 3, 1, 23, 30)], type=pa.timestamp("us"))}))
    assert sources.read(naive).activities[0].day == dt.date(2026, 3, 1)


def test_it_refuses_a_broken_or_misplaced_parquet_file():
    broken = sources.read(b"PAR1 not really parquet PAR1")
    assert [(e.line, e.column) for e in broken.errors] == [(1, "")]
    good = parquet_bytes(pa.table({"person": ["E1"], "service": ["x"], "event": ["y"],
                                   "time": ["2026-03-01"]}))
    assert sources.read(good, source="licences").errors[0].line == 1
    missing = parquet_bytes(pa.table({"person": ["E1"], "service": ["x"], "event": ["y"]}))
    assert [(e.line, e.column) for e in sources.read(missing).errors] == [(1, "time")]


def test_it_reads_event_items_from_the_api():
    reading = sources.read_event_items([
        {"person": "a@example.com", "service": "crm", "event": "open",
         "time": "2026-03-01T23:30:00Z", "count": 2, "duration": 5},
        {"email": "A@example.com", "service": "crm", "event": "open",
         "time": "2026-03-02T09:00:00+01:00"},
    ])
    assert reading.errors == [] and reading.rows_read == 2
    assert reading.activities == [
        Activity(1, "a@example.com", "crm", dt.date(2026, 3, 2), "event:open", 3.0, 5.0)]


def test_it_reports_event_item_errors_by_index_and_field():
    reading = sources.read_event_items([
        {"person": "a@example.com", "service": "crm", "event": "open", "time": "2026-03-01"},
        {"service": "crm", "event": "open", "time": "2026-03-01", "count": True},
        {"user": ["a"], "service": "crm", "event": 3, "time": 1700000000,
         "duration": -2},
        "not an object",  # type: ignore[list-item]
    ], time_zone="UTC")
    assert [(e.line, e.column) for e in reading.errors] == [
        (2, "person"), (2, "count"), (3, "user"), (3, "event"), (3, "time"), (3, "duration"),
        (4, "")]
    assert len(reading.activities) == 1


# Licences ------------------------------------------------------------------------------------

def test_it_reads_licences_and_seats():
    header = ["service", "person", "assigned_on", "seats", "cost_per_seat", "currency"]
    reading = sources.read(files.csv_bytes(header, [
        {"service": "CRM", "person": "A@Example.com", "assigned_on": "2026-01-15"},
        {"service": "m365:teams", "person": "E42"},
        {"service": "crm", "seats": "120", "cost_per_seat": "12,50"},
        {"service": "m365:teams", "cost_per_seat": "4", "currency": "usd"},
    ]))
    assert reading.errors == [] and reading.source == "licences"
    assert reading.licences == [
        Licence(2, "a@example.com", "crm", dt.date(2026, 1, 15)),
        Licence(3, "E42", "m365:teams", None)]
    assert reading.seats == [Seats(4, "crm", 120, 12.5, "EUR"),
                             Seats(5, "m365:teams", None, 4.0, "USD")]


def test_it_reports_bad_licence_lines():
    header = ["service", "person", "assigned_on", "seats", "cost_per_seat", "currency"]
    reading = sources.read(files.csv_bytes(header, [
        {"service": "crm", "person": "a@example.com", "seats": "3"},
        {"service": "m365:copilot", "person": "a@example.com", "assigned_on": "soon"},
        {"service": "crm"},
        {"service": "crm", "seats": "-1", "cost_per_seat": "free", "currency": "EURO"},
        {"service": "erp", "seats": "10"},
        {"service": "erp", "seats": "11"},
    ]))
    assert [(e.line, e.column) for e in reading.errors] == [
        (2, "seats"), (3, "service"), (3, "assigned_on"), (4, "person"), (5, "seats"),
        (5, "cost_per_seat"), (5, "currency"), (7, "service")]
    assert "line 6" in reading.errors[-1].reason
    # Seats alone: no person column needed; without either, the file is refused.
    seats = sources.read(files.csv_bytes(["service", "seats"], [{"service": "crm",
                                                                 "seats": 5}]))
    assert seats.seats == [Seats(2, "crm", 5, None, "EUR")]
    neither = sources.read(files.csv_bytes(["service", "currency"], []), source="licences")
    assert [(e.line, e.column) for e in neither.errors] == [(1, "person")]
