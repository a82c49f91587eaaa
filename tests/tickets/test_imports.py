"""Importing ITSM exports: ServiceNow and GLPI files, their columns, dates and channels."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from phare.jobs.models import Job
from phare.tickets.imports import TicketImportError
from phare.tickets.models import Ticket
from phare.tickets.services import import_tickets
from tests.catalog.factories import make_families, make_service
from tests.tickets.factories import open_ticket_survey

PARIS = ZoneInfo("Europe/Paris")

SERVICENOW = '''\
number,short_description,opened_at,resolved_at,closed_at,contact_type,category,\
assignment_group,reassignment_count,caller_id,caller_id.email,u_catalog_service,state
INC0012345,VPN ne se connecte plus,2025-03-10 08:12:40,2025-03-10 11:02:15,\
2025-03-13 11:05:00,Self-service,Network,Service Desk N1,0,Eric Martin,\
eric.martin@example.com,teletravail,Closed
INC0012346,"Écran noir, ""urgent""",2025-03-10 09:00:00,,2025-03-11 17:30:00,Phone,Hardware,\
Proximité Paris,2,Claire Dupont,claire.dupont@example.com,Visioconférence,Closed
INC0012347,Mot de passe,2025-03-11 10:00:00,2025-03-11 10:20:00,,Virtual Agent,Access,\
Service Desk N1,0,Inconnu,,,Resolved
'''

GLPI = (
    "ID;Titre;Statut;Date d'ouverture;Date de résolution;Source de la demande;Catégorie;"
    "Groupe technicien;Demandeur - Demandeur;Demandeur - Matricule\r\n"
    "4512;Imprimante bloquée;Clos;03-02-2025 14:05;03-02-2025 16:40;Helpdesk;"
    "Matériel > Impression;Support Lyon;Martin Eric;E0005\r\n"
    "4513;Accès refusé à l'ERP;Résolu;04-02-2025 09:00;05-02-2025 10:15;Téléphone;"
    "Applications;Équipe ERP;Dupont Claire;E0004\r\n"
    "4514;Demande de souris;Clos;04-02-2025 11:00;04-02-2025 11:30;Direct;Matériel;"
    "Proximité;Owner Olivier;E0003\r\n"
).encode("cp1252")


@pytest.fixture
def catalogue(db):
    make_families()
    make_service("teletravail", name_fr="Télétravail")
    make_service("visio", name_fr="Visioconférence", name_en="Video conferencing")


def test_it_imports_a_servicenow_export(personas, catalogue):
    open_ticket_survey(fatigue_days=0)
    report = import_tickets(SERVICENOW.encode())
    assert report.format == "servicenow" and report.tickets == 3
    assert report.counts["received"] == 3
    assert report.counts["invited_later"] == 2 and report.counts["no_requester"] == 1
    first = Ticket.objects.get(external_id="INC0012345")
    assert first.channel == "portal" and first.category == "Network"
    assert first.assignment_group == "Service Desk N1"
    assert first.resolved_at == dt.datetime(2025, 3, 10, 11, 2, 15, tzinfo=PARIS)
    assert first.requester.employee_id == "E0005" and first.service.slug == "teletravail"
    second = Ticket.objects.get(external_id="INC0012346")
    # No resolution date: the closing date stands in; the service is found by its name.
    assert second.resolved_at == dt.datetime(2025, 3, 11, 17, 30, tzinfo=PARIS)
    assert second.channel == "phone" and second.reassignment_count == 2
    assert second.service.slug == "visio"
    third = Ticket.objects.get(external_id="INC0012347")
    assert third.channel == "chat" and third.decision == Ticket.Decision.NO_REQUESTER
    # The same export again changes nothing.
    again = import_tickets(SERVICENOW.encode())
    assert again.counts["already_received"] == 3 and again.counts["received"] == 0


def test_it_imports_a_glpi_export_in_windows_1252(personas):
    open_ticket_survey(fatigue_days=0)
    report = import_tickets(GLPI)
    assert report.format == "glpi"
    assert report.as_dict()["format"] == "GLPI"
    found = {t.external_id: t for t in Ticket.objects.select_related("requester")}
    assert set(found) == {"4512", "4513", "4514"}
    assert found["4512"].channel == "portal" and found["4513"].channel == "phone"
    assert found["4514"].channel == "walk_in"
    assert found["4513"].assignment_group == "Équipe ERP"
    assert found["4512"].category == "Matériel > Impression"
    assert found["4512"].opened_at == dt.datetime(2025, 2, 3, 14, 5, tzinfo=PARIS)
    assert found["4513"].requester.employee_id == "E0004"
    assert all(t.decision == Ticket.Decision.PENDING for t in found.values())


def test_english_glpi_headers_and_requester_emails(personas):
    data = ("ID,Title,Opening date,Resolution date,Request source,Requester - Requester\n"
            "77,Wi-Fi,2025-02-03 14:05,2025-02-03 15:00,E-Mail,eric.martin@example.com\n")
    report = import_tickets(data.encode())
    assert report.format == "glpi" and report.counts["no_survey"] == 1
    ticket = Ticket.objects.get()
    assert ticket.channel == "email" and ticket.requester.employee_id == "E0005"


def test_strict_errors_name_the_line_and_column_and_nothing_is_written(personas, catalogue):
    open_ticket_survey()
    data = (
        "ID;Date d'ouverture;Date de résolution;Source de la demande;Service;"
        "Demandeur - Matricule\n"
        "1;03-02-2025 14:05;03-02-2025 16:40;Helpdesk;teletravail;E0005\n"
        "2;demain;03-02-2025 16:40;Pigeon voyageur;Cantine;E0004\n"
        ";03-02-2025 14:05;02-02-2025 16:40;Phone;;E0003\n"
        "4;03-02-2025 14:05;;Phone;;E0003\n"
    ).encode("cp1252")
    with pytest.raises(TicketImportError) as caught:
        import_tickets(data, strict=True)
    found = {(e.line, e.column) for e in caught.value.errors}
    assert found == {(3, "Date d'ouverture"), (3, "Source de la demande"), (3, "Service"),
                     (4, "ID"), (4, "Date de résolution"), (5, "Date de résolution")}
    first = caught.value.errors[0]
    assert str(first) == gettext("line %(line)d, column %(column)s: %(reason)s") % {
        "line": 3, "column": first.column, "reason": first.reason}
    assert Ticket.objects.count() == 0


def test_unknown_files_are_refused_on_line_one(db):
    with pytest.raises(TicketImportError) as caught:
        import_tickets(b"name,email\nEric,eric@example.com\n")
    assert [(e.line, e.column) for e in caught.value.errors] == [(1, "")]
    with pytest.raises(TicketImportError):
        import_tickets(b"")
    with pytest.raises(TicketImportError) as caught:
        import_tickets(b"number,opened_at\nINC1,2025-01-01 10:00\n")
    assert caught.value.errors[0].line == 1  # no resolution date column


def test_the_import_page_runs_a_job(login, personas, django_capture_on_commit_callbacks):
    open_ticket_survey(fatigue_days=0)
    client = login("marketing")
    assert client.get(reverse("tickets:import")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("tickets:import"),
                             {"file": SimpleUploadedFile("glpi.csv", GLPI)})
    job = Job.objects.get()
    # Sure of every column and of the dates (French labels: day first): imported at once.
    assert answer["Location"] == reverse("tickets:import_report", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["tickets"] == 3 and job.result["invited_later"] == 3
    page = client.get(answer["Location"]).content.decode()
    assert "GLPI" in page
    # A file of which no line can be read fails the job with its errors, and writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tickets:import"), {"file": SimpleUploadedFile(
            "bad.csv", b"number,opened_at,resolved_at\nINC9,never,2025-01-01 10:00\n")})
    failed = Job.objects.exclude(pk=job.pk).get()
    assert failed.status == Job.Status.FAILED
    assert failed.result["errors"][0]["line"] == 2
    assert failed.result["errors"][0]["column"] == "opened_at"
    assert Ticket.objects.count() == 3
    refused = client.post(reverse("tickets:import"),
                          {"file": SimpleUploadedFile("tickets.xlsx", b"PK")})
    assert refused.status_code == 200 and Job.objects.count() == 2
