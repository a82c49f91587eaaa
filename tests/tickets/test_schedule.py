"""Ticket surveys at every tick: the tickets app's own periodic step, reported apart from
listening's, and the `phare tick` line that says how many were sent."""

from __future__ import annotations

import io
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.utils.translation import gettext

from phare.lib import periodic
from phare.listening.models import Invitation
from phare.tickets import services as tickets
from phare.tickets.models import Ticket
from tests.tickets.factories import open_ticket_survey, ticket_row


def test_the_tickets_app_registers_its_periodic_step():
    assert "tickets" in periodic.steps()


def test_the_tick_sends_the_ticket_surveys_due(personas):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1")])
    done = periodic.run_due()
    assert done["tickets"] == 1 and done["errors"] == []
    assert Ticket.objects.get().decision == Ticket.Decision.INVITED
    assert Invitation.objects.get().ticket.external_id == "INC1"
    assert len(mail.outbox) == 1


def test_a_failing_ticket_step_is_reported_and_listening_still_runs(db):
    def broken(now):
        raise RuntimeError("mail server down")

    with mock.patch("phare.tickets.services.send_due_ticket_invitations", side_effect=broken):
        done = periodic.run_due()
    assert done["errors"] == ["tickets"]
    assert (done["listening.waves"], done["listening.reminders"]["sent"]) == (0, 0)


def test_phare_tick_says_how_many_ticket_surveys_were_sent(personas):
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC1")])
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert gettext("Ticket survey invitations sent: %(n)s") % {"n": 1} in out.getvalue()
