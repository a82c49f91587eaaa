"""``/api/v1/tickets``: the ITSM reports closed tickets, one by one or in batches."""

from __future__ import annotations

import json

import pytest

from phare.accounts.services import token_create
from phare.listening.models import Response
from phare.tickets import services as tickets
from phare.tickets.models import Ticket
from tests.catalog.factories import make_families, make_service
from tests.tickets.factories import open_ticket_survey, ticket_row


@pytest.fixture
def api(client, personas):
    """``api(method, path, body)`` as the marketing lead's ITSM integration (a token)."""
    _token, raw = token_create(user=personas["marketing"], name="itsm")

    def call(method: str, path: str, body=None):
        return client.generic(method, "/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {raw}",
                              content_type="application/json",
                              data=json.dumps(body) if body is not None else "")

    return call


def test_it_receives_one_ticket(api):
    open_ticket_survey()
    answer = api("POST", "/tickets", ticket_row("INC0012345"))
    assert answer.status_code == 201
    body = answer.json()
    assert body["counts"] == {"received": 1, "already_received": 0, "invited_later": 1,
                              "not_sampled": 0, "fatigue": 0, "no_requester": 0,
                              "opted_out": 0, "quiet_period": 0, "contact_cap": 0,
                              "no_survey": 0}
    assert body["tickets"][0]["external_id"] == "INC0012345"
    assert body["tickets"][0]["decision"] == "pending"
    assert body["tickets"][0]["send_after"] is not None
    ticket = Ticket.objects.get()
    assert ticket.channel == "portal" and ticket.requester.employee_id == "E0005"


def test_it_receives_a_batch_and_a_redelivery(api, personas):
    make_families()
    make_service("teletravail", name_fr="Télétravail")
    open_ticket_survey()
    batch = {"tickets": [ticket_row("INC1", service="teletravail", reassignment_count=2),
                         ticket_row("INC2"), ticket_row("INC3", None)]}
    body = api("POST", "/tickets", batch).json()
    assert [t["decision"] for t in body["tickets"]] == ["pending", "fatigue", "no_requester"]
    assert body["counts"]["received"] == 3
    again = api("POST", "/tickets", batch)
    assert again.status_code == 201
    assert again.json()["counts"]["already_received"] == 3
    assert again.json()["counts"]["received"] == 0
    assert Ticket.objects.count() == 3
    assert Ticket.objects.get(external_id="INC1").service.slug == "teletravail"


def test_errors_name_their_path_and_nothing_is_written(api):
    open_ticket_survey()
    batch = {"tickets": [ticket_row("INC1"), ticket_row("INC2"), ticket_row("INC3"),
                         {**ticket_row("INC4"), "resolved_at": "2020-01-01T00:00:00+01:00"},
                         ticket_row("INC5", channel="pigeon")]}
    answer = api("POST", "/tickets", batch)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"tickets.3.resolved_at",
                                                      "tickets.4.channel"}
    assert Ticket.objects.count() == 0
    single = api("POST", "/tickets", {"external_id": "INC9"}).json()["error"]
    assert {d["field"] for d in single["details"]} == {"opened_at", "resolved_at"}


def test_malformed_bodies(api, client):
    assert api("POST", "/tickets", ["INC1"]).status_code == 422
    assert api("POST", "/tickets", {"tickets": "INC1"}).json()["error"]["details"][0][
        "field"] == "tickets"
    broken = api("POST", "/tickets")
    assert broken.status_code == 422
    assert Ticket.objects.count() == 0


def test_it_lists_and_shows_tickets(api, personas):
    make_families()
    make_service("visio", name_fr="Visioconférence")
    open_ticket_survey()
    api("POST", "/tickets", {"tickets": [ticket_row("INC1", service="visio"),
                                         ticket_row("INC2", None)]})
    tickets.send_due_ticket_invitations()
    invitation = Ticket.objects.get(external_id="INC1").invitation
    tickets.ticket_rate(invitation, 9)
    listed = api("GET", "/tickets").json()
    assert listed["count"] == 2
    assert {t["external_id"] for t in listed["items"]} == {"INC1", "INC2"}
    only = api("GET", "/tickets?decision=no_requester").json()["items"]
    assert [t["external_id"] for t in only] == ["INC2"]
    assert [t["external_id"] for t in api("GET", "/tickets?service=visio").json()["items"]] \
        == ["INC1"]
    assert api("GET", "/tickets?decision=maybe").status_code == 422
    one = api("GET", "/tickets/INC1").json()
    # Confidential: neither the answer nor whether there was one (aggregates only).
    assert one["decision"] == "invited" and "answered" not in one and one["rating"] is None
    invitation.survey.anonymity = "named"
    invitation.survey.save()
    assert api("GET", "/tickets/INC1").json()["rating"] == 9
    assert one["invited_at"] is not None and one["service"] == "visio"
    assert api("GET", "/tickets/INC404").status_code == 404
    assert Response.objects.count() == 1


def test_the_body_is_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/tickets"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    one, batch = body["oneOf"]
    assert "external_id" in one["required"] and "resolved_at" in one["properties"]
    assert batch["properties"]["tickets"]["items"] == one
