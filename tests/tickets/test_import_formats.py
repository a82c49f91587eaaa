"""Ticket exports as the systems write them: CSV in their encodings and separators, Excel
workbooks, labels in six languages, dates in either order, event logs; partial imports with
their report, strict imports all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from phare.tickets.imports import DateOrderUndecided, TicketImportError, propose_mapping
from phare.tickets.imports.dates import decide_order, parse
from phare.tickets.models import Ticket
from phare.tickets.services import import_tickets
from tests.catalog.factories import make_families, make_service
from tests.tickets.factories import open_ticket_survey

PARIS = ZoneInfo("Europe/Paris")
DATA = Path(__file__).parent / "data"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def catalogue(db):
    make_families()
    make_service("teletravail", name_fr="Télétravail", name_en="Remote work")
    make_service("visio", name_fr="Visioconférence", name_en="Video conferencing")
    make_service("messagerie", name_fr="Messagerie", name_en="Messaging")


def test_a_servicenow_english_export_with_month_first_dates(personas, catalogue):
    open_ticket_survey(fatigue_days=0)
    report = import_tickets(data("servicenow_incident_en.csv"))
    assert report.format == "servicenow" and report.date_order == "mdy"
    assert report.rows_read == 5 and report.imported == 4
    assert report.skipped == {"open": 1}
    first = Ticket.objects.get(external_id="INC0010001")
    assert first.opened_at == dt.datetime(2025, 3, 14, 9, 15, tzinfo=PARIS)
    assert first.resolved_at == dt.datetime(2025, 3, 14, 11, 2, 15, tzinfo=PARIS)
    assert first.service.slug == "teletravail" and first.service_label == "Remote work"
    assert first.channel == "portal" and first.requester.employee_id == "E0005"
    second = Ticket.objects.get(external_id="INC0010002")
    # 5:30 PM, and the configuration item kept as the label when no service is given.
    assert second.resolved_at.astimezone(PARIS).hour == 17
    assert second.service is None and second.service_label == "LAPTOP-4411"
    assert dict(report.unmapped) == {"LAPTOP-4411": 1, "Identity": 1}
    # An unknown channel is a warning on its line; the ticket is kept without one.
    assert [(w.line, w.column) for w in report.warnings] == [(6, "Channel")]
    assert Ticket.objects.get(external_id="INC0010005").channel == ""


def test_a_servicenow_portuguese_export_reads_day_first_by_its_language(personas):
    report = import_tickets(data("servicenow_incident_pt.csv"))
    assert report.format == "servicenow" and report.date_order == "dmy"
    assert report.imported == 2 and report.skipped == {"open": 1}
    ticket = Ticket.objects.get(external_id="INC0020001")
    assert ticket.opened_at == dt.datetime(2025, 2, 3, 14, 5, tzinfo=PARIS)
    assert ticket.channel == "phone" and ticket.assignment_group == "Suporte Lisboa"
    assert ticket.requester.employee_id == "E0005"
    assert Ticket.objects.get(external_id="INC0020002").channel == "email"


def test_a_glpi_french_export_in_windows_1252(personas, catalogue):
    report = import_tickets(data("glpi_fr.csv"))
    assert report.format == "glpi" and report.date_order == "dmy"
    assert report.imported == 3 and report.skipped == {"open": 1}
    found = {t.external_id: t for t in Ticket.objects.all()}
    assert found["4515"].opened_at == dt.datetime(2025, 2, 13, 8, 30, tzinfo=PARIS)
    assert found["4515"].service.slug == "teletravail"
    assert found["4513"].assignment_group == "Équipe ERP" and found["4513"].channel == "phone"
    assert dict(report.unmapped) == {"Imprimante RDC": 1, "SAP ERP": 1}


def test_field_names_tab_separated_with_a_bom_inside_the_quoted_header(personas, catalogue):
    report = import_tickets(data("servicenow_fields_tab.csv"))
    assert report.format == "servicenow" and report.imported == 2
    first = Ticket.objects.get(external_id="INC0030001")
    assert first.opened_at == dt.datetime(2025, 4, 1, 7, 0, tzinfo=dt.UTC)
    assert first.resolved_at == dt.datetime(2025, 4, 1, 7, 30, tzinfo=dt.UTC)
    assert first.service.slug == "messagerie" and first.channel == "email"


def test_excel_workbooks_french_servicenow_and_german_glpi(personas, catalogue):
    report = import_tickets(data("servicenow_incident_fr.xlsx"))
    assert report.format == "servicenow" and report.imported == 2
    assert report.skipped == {"open": 1}
    first = Ticket.objects.get(external_id="INC0050001")
    assert first.opened_at == dt.datetime(2025, 5, 6, 9, 0, tzinfo=PARIS)
    assert first.channel == "portal" and first.service.slug == "teletravail"
    # An Excel serial number (45784.375 = 2025-05-07 09:00) in a text cell.
    serial = Ticket.objects.get(external_id="INC0050002")
    assert serial.opened_at == dt.datetime(2025, 5, 7, 9, 0, tzinfo=PARIS)
    assert serial.reassignment_count == 2
    german = import_tickets(data("glpi_de.xlsx"))
    assert german.format == "glpi" and german.imported == 2
    assert Ticket.objects.get(external_id="801").channel == "phone"
    assert Ticket.objects.get(external_id="802").requester.employee_id == "E0004"


def test_an_event_log_becomes_the_last_state_of_each_ticket(personas, catalogue):
    report = import_tickets(data("servicenow_event_log.csv"))
    assert report.event_log and report.rows_read == 10 and report.tickets == 2
    assert report.skipped == {"open": 1}
    first = Ticket.objects.get(external_id="INC0040001")
    assert first.assignment_group == "Network L2" and first.reassignment_count == 1
    assert first.resolved_at == dt.datetime(2025, 3, 1, 15, 0, tzinfo=PARIS)
    # Reopened then resolved again: the last resolution counts.
    third = Ticket.objects.get(external_id="INC0040003")
    assert third.resolved_at == dt.datetime(2025, 3, 13, 10, 0, tzinfo=PARIS)


def test_an_activity_log_tells_the_dates_by_its_updates(personas):
    report = import_tickets(data("activity_log.csv"))
    assert report.format == "generic" and report.event_log
    assert report.rows_read == 7 and report.tickets == 2 and report.skipped == {"open": 1}
    ticket = Ticket.objects.get(external_id="IM0000001")
    assert ticket.opened_at == dt.datetime(2025, 1, 7, 8, 17, 17, tzinfo=PARIS)
    assert ticket.resolved_at == dt.datetime(2025, 1, 8, 16, 0, tzinfo=PARIS)
    assert ticket.assignment_group == "TEAM0002"


def test_undecidable_dates_are_refused_unless_the_order_is_given(personas):
    export = (b"number,opened_at,resolved_at\n"
              b"INC1,03/04/2025 09:00,03/04/2025 10:00\n"
              b"INC2,05/06/2025 09:00,05/07/2025 10:00\n")
    with pytest.raises(DateOrderUndecided) as caught:
        import_tickets(export)
    error = caught.value.errors[0]
    assert error.line == 1 and error.column == "opened_at, resolved_at"
    assert "dmy" in error.reason and "mdy" in error.reason
    assert Ticket.objects.count() == 0
    report = import_tickets(export, date_order="mdy")
    assert report.imported == 2
    assert Ticket.objects.get(external_id="INC2").resolved_at.date() == dt.date(2025, 5, 7)


def test_dates_decided_by_the_whole_column_never_row_by_row():
    assert decide_order(["03/04/2025", "25/04/2025"]) == "dmy"
    assert decide_order(["03/04/2025", "04/25/2025 10:00 PM"]) == "mdy"
    assert decide_order(["03/04/2025", "2025-04-25"]) is None
    assert parse("2025-03-12T09:15:00Z", None) == dt.datetime(2025, 3, 12, 9, 15,
                                                              tzinfo=dt.UTC)
    assert parse("03/04/2025", None) is None  # ambiguous on its own
    assert parse("03/04/2025", "mdy").month == 3


def test_a_line_with_errors_is_a_warning_and_the_rest_is_imported(personas, english):
    export = (b"number;opened_at;resolved_at;contact_type\n"
              b"INC1;2025-03-01 09:00;2025-03-01 10:00;phone\n"
              b"INC2;never;2025-03-01 10:00;phone\n"
              b"INC1;2025-03-01 09:00;2025-03-01 10:00;phone\n"
              b"INC3;2025-03-02 09:00;2025-03-01 10:00;phone\n")
    report = import_tickets(export)
    assert report.imported == 1
    assert report.skipped == {"invalid": 2, "duplicate": 1}
    assert [(w.line, w.column) for w in report.warnings] == [
        (3, "opened_at"), (4, "number"), (5, "resolved_at")]
    assert "line 2" in report.warnings[1].reason  # never "position 0 of the batch"
    with pytest.raises(TicketImportError):
        import_tickets(export, strict=True)


def test_structural_problems_refuse_the_file(db, english):
    with pytest.raises(TicketImportError) as caught:
        import_tickets(b"Number,Short description\nINC1,VPN\n")
    assert caught.value.errors[0].line == 1
    with pytest.raises(TicketImportError) as caught:
        import_tickets(b"PK\x03\x04not a workbook")
    with pytest.raises(TicketImportError) as caught:
        import_tickets(b"number,opened_at,resolved_at\nINC1,2025-03-01 09:00,\n")
    assert "nothing to import" in caught.value.errors[0].reason


def test_the_mapping_is_proposed_with_what_is_unsure():
    proposal = propose_mapping(["Nummer", "Geöffnet", "Gelöst", "Kanal", "Zuweisungsgruppe",
                                "Konfigurationselement"])
    assert proposal.system == "servicenow" and proposal.language == "de" and proposal.sure
    assert proposal.names()["ci"] == "Konfigurationselement"
    guessed = propose_mapping(["Numero", "Aperto", "Data risoluzione ticket", "Canale"])
    assert guessed.unsure == ["resolved_at"] and guessed.language == "it"
    assert guessed.names()["resolved_at"] == "Data risoluzione ticket"
    spanish = propose_mapping(["ID", "Título", "Fecha de apertura", "Fecha de resolución",
                               "Origen de la solicitud"])
    assert spanish.system == "glpi" and spanish.sure and spanish.language == "es"
    assert propose_mapping(["a", "b"]).missing == ["external_id", "opened_at", "resolved_at"]
    assert propose_mapping(["A", "B"]).signature == propose_mapping(["a", "b"]).signature
