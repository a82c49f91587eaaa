"""The web import: upload, the mapping step when Phare is unsure (or asked), the report; the
labels of the ITSM mapped to catalogue services; the same import from the command line and
the API."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from phare.accounts.services import token_create
from phare.catalog.models import Service
from phare.jobs.models import Job
from phare.listening.models import Invitation
from phare.tickets import services
from phare.tickets.models import ServiceAlias, Ticket, TicketMapping, TicketUpload
from tests.catalog.factories import make_families, make_service
from tests.tickets.factories import UNDECIDED_EXPORT, open_ticket_survey, ticket_row

DATA = Path(__file__).parent / "data"


@pytest.fixture
def catalogue(db):
    make_families()
    make_service("vpn", name_fr="VPN", name_en="Remote access")
    make_service("messagerie", name_fr="Messagerie", name_en="Messaging")


def _post(client, name, data, **fields):
    return client.post(reverse("tickets:import"), {"file": SimpleUploadedFile(name, data),
                                                   **fields})


def test_unsure_dates_go_through_the_mapping_step_then_the_report(
        login, personas, catalogue, django_capture_on_commit_callbacks):
    client = login("marketing")
    answer = _post(client, "export.csv", UNDECIDED_EXPORT)
    upload = TicketUpload.objects.get()
    assert answer["Location"] == reverse("tickets:import_mapping", args=[upload.pk])
    page = client.get(answer["Location"]).content.decode()
    assert "INC0090001" in page and "03/04/2025 09:00" in page  # the preview
    assert 'name="date_order"' in page and 'required' in page
    # Without the date order the step asks again; nothing is imported.
    again = client.post(answer["Location"], {"external_id": "Number", "opened_at": "Opened",
                                             "resolved_at": "Resolved"})
    assert again.status_code == 200 and Job.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(answer["Location"], {
            "external_id": "Number", "opened_at": "Opened", "resolved_at": "Resolved",
            "channel": "Channel", "service": "Service", "date_order": "mdy"})
    job = Job.objects.get()
    assert done["Location"] == reverse("tickets:import_report", args=[job.pk])
    assert not TicketUpload.objects.exists()
    report = client.get(done["Location"]).content.decode()
    assert job.result["imported"] == 2 and "VPN Gateway" in report
    assert reverse("tickets:unmapped") in report
    assert Ticket.objects.get(external_id="INC0090002").resolved_at.month == 5
    mapping = TicketMapping.objects.get()
    assert mapping.date_order == "mdy" and mapping.columns["service"] == "Service"
    # The next file of the same shape is imported at once, with the saved choices.
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(client, "next.csv", UNDECIDED_EXPORT.replace(b"INC00900", b"INC00910"))
    assert second["Location"].startswith("/surveys/tickets/import/report/")
    assert Ticket.objects.get(external_id="INC0091002").resolved_at.month == 5


def test_the_mapping_step_on_request_and_a_missing_column(login, personas,
                                                          django_capture_on_commit_callbacks):
    client = login("marketing")
    data = b"Ref;Start;End of work\nA-1;2025-03-01 09:00;2025-03-01 10:00\n"
    answer = _post(client, "odd.csv", data)
    page = client.get(answer["Location"])
    assert page.status_code == 200
    wrong = client.post(answer["Location"], {"external_id": "Ref", "opened_at": "Ref"})
    assert wrong.status_code == 200 and Job.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer["Location"], {"external_id": "Ref", "opened_at": "Start",
                                         "resolved_at": "End of work"})
    assert Ticket.objects.get().external_id == "A-1"
    # A file Phare is sure of still shows its columns when asked.
    sure = _post(client, "glpi.csv", (DATA / "glpi_fr.csv").read_bytes(), review="on")
    assert "/columns/" in sure["Location"]
    # An upload is its uploader's (administrators see all).
    upload = TicketUpload.objects.get()
    assert login("admin").get(sure["Location"]).status_code == 200
    assert services.ticket_upload_discard(upload=upload) is None
    assert not TicketUpload.objects.exists()


def test_unmapped_labels_are_mapped_later_and_read_so_next_time(login, personas, catalogue):
    services.import_tickets(UNDECIDED_EXPORT, date_order="dmy")
    client = login("marketing")
    page = client.get(reverse("tickets:unmapped")).content.decode()
    assert "VPN Gateway" in page and "Messaging" not in page  # Messaging is in the catalogue
    answer = client.post(reverse("tickets:unmapped"), {"label": "VPN Gateway",
                                                       "service": "vpn"})
    assert answer.status_code == 302
    assert Ticket.objects.get(external_id="INC0090001").service.slug == "vpn"
    assert ServiceAlias.objects.get().key == "vpn_gateway"
    again = services.import_tickets(UNDECIDED_EXPORT.replace(b"INC00900", b"INC00920")
                                    .replace(b"VPN Gateway", b"vpn  gateway"), date_order="dmy")
    assert again.unmapped == []
    assert Ticket.objects.get(external_id="INC0092001").service.slug == "vpn"
    assert '<th scope="row">VPN Gateway' not in client.get(
        reverse("tickets:unmapped")).content.decode()


def test_the_command_line_prints_the_report_and_its_exit_status(personas, catalogue, tmp_path):
    out = StringIO()
    call_command("import_tickets", str(DATA / "servicenow_event_log.csv"), stdout=out)
    text = out.getvalue()
    assert "10" in text and "INC" not in text  # rows, not tickets, are listed
    path = tmp_path / "undecided.csv"
    path.write_bytes(UNDECIDED_EXPORT)
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("import_tickets", str(path), stderr=err)
    assert caught.value.code == 2 and "Opened, Resolved" in err.getvalue()
    out = StringIO()
    call_command("import_tickets", str(path), "--date-order", "mdy", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["imported"] == 2 and report["date_order"] == "mdy"
    assert report["unmapped"] == [{"label": "VPN Gateway", "tickets": 1}]
    out = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("import_tickets", str(DATA / "servicenow_incident_en.csv"), "--strict",
                     "--json", stdout=out)
    assert caught.value.code == 2 and json.loads(out.getvalue())["refused"] is True


def test_the_api_takes_the_same_options_and_answers_the_same_report(client, personas,
                                                                    catalogue):
    _token, raw = token_create(user=personas["marketing"], name="itsm")

    def upload(data: bytes, **fields):
        return client.post("/api/v1/tickets/imports",
                           {"file": SimpleUploadedFile("export.csv", data), **fields},
                           HTTP_AUTHORIZATION=f"Bearer {raw}")

    refused = upload(UNDECIDED_EXPORT)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "file: line 1, column Opened, Resolved"
    answer = upload(UNDECIDED_EXPORT, date_order="dmy")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["imported"] == 2 and body["counts"]["received"] == 2
    assert body["unmapped"] == [{"label": "VPN Gateway", "tickets": 1}]
    assert body["mapping"]["external_id"] == "Number" and body["date_order"] == "dmy"
    log = upload((DATA / "servicenow_event_log.csv").read_bytes())
    assert log.json()["event_log"] is True and log.json()["rows_read"] == 10
    assert upload(b"x", system="jira").status_code == 422
    strict = upload((DATA / "servicenow_incident_en.csv").read_bytes(), strict="true")
    assert strict.status_code == 422 and Ticket.objects.filter(
        external_id__startswith="INC001").count() == 0


def test_mapping_a_label_renews_the_answers_of_its_tickets(personas, catalogue):
    open_ticket_survey()
    services.tickets_receive([ticket_row("INC0012345", service_label="VPN Gateway")])
    services.send_due_ticket_invitations()
    invitation = Invitation.objects.get(ticket__external_id="INC0012345")
    response = services.ticket_rate(invitation, 8)
    before = response.revision
    assert services.ticket_label_map(label="vpn gateway", service=Service.objects.get(
        slug="vpn")) == 1
    response.refresh_from_db()
    assert response.revision == before + 1  # the analytical store rewrites its partition
    assert Ticket.objects.get().service.slug == "vpn"
