"""The management page and the API list tickets under one rule, decided in Python
(:func:`phare.tickets.queries.rating_shown`): a ticket's rating — or whether it was answered —
is shown for a named survey only. And the page's own stylesheet is in the head."""

from __future__ import annotations

import re

from phare.listening.models import Survey
from phare.tickets import queries
from phare.tickets import services as tickets
from phare.tickets.models import Ticket
from tests.tickets.factories import open_ticket_survey, ticket_row


def _rated(anonymity: str = Survey.Anonymity.CONFIDENTIAL) -> Survey:
    """INC1 rated 3, INC2 invited and not answered, INC3 not surveyed."""
    survey = open_ticket_survey(fatigue_days=0, anonymity=anonymity)
    tickets.tickets_receive([ticket_row("INC1"), ticket_row("INC2", "E0004"),
                             ticket_row("INC3", None)])
    tickets.send_due_ticket_invitations()
    tickets.ticket_rate(Ticket.objects.get(external_id="INC1").invitation, 3)
    return survey


def _rows() -> dict[str, tuple[bool, int | None]]:
    return {row["ticket"].external_id: (row["rating_shown"], row["rating"])
            for row in queries.ticket_rows(queries.latest_tickets())}


def test_it_never_shows_a_confidential_ticket_s_rating_nor_whether_it_was_answered(personas):
    _rated()
    assert _rows() == {"INC1": (False, None), "INC2": (False, None), "INC3": (False, None)}


def test_it_shows_a_named_ticket_s_rating_and_what_is_not_answered_yet(personas):
    _rated(Survey.Anonymity.NAMED)
    assert _rows() == {"INC1": (True, 3), "INC2": (True, None), "INC3": (False, None)}


def _cells(client) -> dict[str, str]:
    html = client.get("/surveys/tickets/").content.decode()
    rows = re.findall(r"<tr>\s*<td>(INC\d)</td>.*?<td>([^<]*(?:<span[^>]*>[^<]*</span>)?)"
                      r"</td>\s*</tr>", html, re.S)
    return {ticket: cell.strip() for ticket, cell in rows}


def test_the_page_shows_nothing_of_a_confidential_ticket_s_answer(login, personas):
    _rated()
    assert _cells(login("marketing")) == {"INC1": "—", "INC2": "—", "INC3": "—"}


def test_the_page_shows_a_named_ticket_s_rating(login, personas):
    _rated(Survey.Anonymity.NAMED)
    named = _cells(login("marketing"))
    assert named["INC1"] == "3" and "muted" in named["INC2"] and named["INC3"] == "—"


def test_the_page_links_its_stylesheet_in_the_head(login, personas):
    html = login("marketing").get("/surveys/tickets/").content.decode()
    head, _sep, body = html.partition("</head>")
    assert "tickets/tickets.css" in head and "tickets/tickets.css" not in body


def test_the_api_keeps_the_operation_ids_it_had_in_listening(client, db):
    operations = client.get("/api/v1/openapi.json").json()["paths"]
    assert operations["/api/v1/tickets"]["post"]["operationId"] == \
        "phare_listening_api_tickets_receive_tickets"
    assert operations["/api/v1/tickets"]["get"]["operationId"] == \
        "phare_listening_api_tickets_list_tickets"
    assert operations["/api/v1/tickets/{external_id}"]["get"]["operationId"] == \
        "phare_listening_api_tickets_get_ticket"
    assert operations["/api/v1/tickets"]["post"]["tags"] == ["tickets"]
