"""A ticket's subject: received from the ITSM (API, ServiceNow, GLPI) and shown to the
requester asked to rate it."""

from __future__ import annotations

from django.urls import reverse

from phare.listening.models import Invitation
from phare.tickets import services as tickets
from phare.tickets.models import Ticket
from phare.tickets.services import import_tickets
from tests.tickets.factories import open_ticket_survey, ticket_row

SERVICENOW = '''\
number,short_description,opened_at,resolved_at,contact_type,caller_id.email
INC0012345,VPN ne se connecte plus,2025-03-10 08:12:40,2025-03-10 11:02:15,Phone,\
eric.martin@example.com
INC0012346,"Écran noir, ""urgent""",2025-03-10 09:00:00,2025-03-11 17:30:00,Phone,
'''
GLPI = ("ID;Titre;Date d'ouverture;Date de résolution;Source de la demande\r\n"
        "4512;Imprimante bloquée;03-02-2025 14:05;03-02-2025 16:40;Helpdesk\r\n"
        ).encode("cp1252")


def test_the_rating_page_names_the_request_by_its_subject(client, personas, english):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC0012345", subject="Le VPN décroche sans arrêt")])
    tickets.send_due_ticket_invitations()
    invitation = Invitation.objects.get(ticket__external_id="INC0012345")

    page = client.get(reverse("tickets:rate", args=[invitation.token, 7])).content.decode()

    # The page speaks the requester's language (French here), whatever the reader's cookie.
    assert "<dt>Objet</dt><dd>Le VPN décroche sans arrêt</dd>" in page
    assert "INC0012345" in page


def test_a_ticket_without_subject_shows_its_number_only(client, personas):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC0012346")])
    tickets.send_due_ticket_invitations()
    invitation = Invitation.objects.get(ticket__external_id="INC0012346")
    page = client.get(reverse("tickets:rate", args=[invitation.token, 7])).content.decode()
    assert "tr-subject" not in page and "INC0012346" in page


def test_the_api_checks_and_keeps_the_subject(api, personas):
    open_ticket_survey()
    too_long = api("admin", "POST", "/tickets", ticket_row("INC1", subject="x" * 201))
    assert too_long.status_code == 422
    answer = api("admin", "POST", "/tickets", ticket_row("INC2", subject="Écran noir"))
    assert answer.status_code in (200, 201), answer.content
    assert Ticket.objects.get(external_id="INC2").subject == "Écran noir"


def test_servicenow_and_glpi_subjects_are_read(personas, db):
    open_ticket_survey(fatigue_days=0)
    import_tickets(SERVICENOW.encode())
    import_tickets(GLPI)
    subjects = dict(Ticket.objects.values_list("external_id", "subject"))
    assert subjects["INC0012345"] == "VPN ne se connecte plus"
    assert subjects["INC0012346"] == 'Écran noir, "urgent"'
    assert subjects["4512"] == "Imprimante bloquée"
