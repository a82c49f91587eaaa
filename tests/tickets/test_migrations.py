"""Ticket leaves listening (tickets 0001–0003, listening 0002): on a database made before, every
ticket and every link survives — the ticket's invitation, the response through it — and the
move can be undone. Rows are written with the historical models of the state before the move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.core.factories import latest_migrations, migrate_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("listening", "0001_initial"), ("tickets", None)]
#: The models as they were then (a state is named by the migrations applied).
STATE_BEFORE = [("listening", "0001_initial"), ("jobs", "0001_initial")]
RESOLVED = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)


def _old_rows(apps) -> dict:
    """A ticket survey answered through one ticket's invitation, a ticket not surveyed, a
    barometer answer without ticket, and a ticket import job — as the old schema held them."""
    Person = apps.get_model("directory", "Person")
    Survey = apps.get_model("listening", "Survey")
    Version = apps.get_model("listening", "SurveyVersion")
    Invitation = apps.get_model("listening", "Invitation")
    Response = apps.get_model("listening", "Response")
    Ticket = apps.get_model("listening", "Ticket")
    Job = apps.get_model("jobs", "Job")
    person = Person.objects.create(employee_id="E1", first_name="Eric", last_name="Martin",
                                   email="eric@example.com")
    survey = Survey.objects.create(slug="ticket-feedback", kind="transactional",
                                   anonymity="confidential", status="open", title_fr="Avis",
                                   open_token="t" * 32)
    version = Version.objects.create(survey=survey, number=1)
    rated = Ticket.objects.create(external_id="INC1", opened_at=RESOLVED - dt.timedelta(hours=3),
                                  resolved_at=RESOLVED, requester=person, decision="invited",
                                  channel="phone")
    skipped = Ticket.objects.create(external_id="INC2", opened_at=RESOLVED,
                                    resolved_at=RESOLVED, decision="not_sampled")
    invitation = Invitation.objects.create(survey=survey, version=version, ticket=rated,
                                           person=person, email=person.email, token="a" * 32)
    response = Response.objects.create(survey=survey, version=version, channel="ticket",
                                       respondent=person, invitation=invitation, ticket=rated,
                                       submitted_on=RESOLVED.date(), answers={"rating": 7})
    barometer = Survey.objects.create(slug="barometre", kind="barometer", title_fr="Baromètre",
                                      open_token="b" * 32)
    other = Response.objects.create(
        survey=barometer, version=Version.objects.create(survey=barometer, number=1),
        channel="open_link", submitted_on=RESOLVED.date(), answers={})
    job = Job.objects.create(kind="listening.tickets_import", title="Import")
    return {"rated": rated.pk, "skipped": skipped.pk, "invitation": invitation.pk,
            "response": response.pk, "other": other.pk, "job": job.pk}


def test_it_keeps_every_ticket_and_link_and_can_be_undone():
    executor = migrate_to(BEFORE)
    made = _old_rows(executor.loader.project_state(STATE_BEFORE).apps)

    executor = migrate_to(latest_migrations())
    apps = executor.loader.project_state(latest_migrations()).apps
    Ticket = apps.get_model("tickets", "Ticket")
    Response = apps.get_model("listening", "Response")
    assert Ticket._meta.db_table == "tickets_ticket"
    assert "tickets_ticket" in connection.introspection.table_names()
    assert "listening_ticket" not in connection.introspection.table_names()
    assert Ticket.objects.count() == 2
    rated = Ticket.objects.get(pk=made["rated"])
    assert (rated.external_id, rated.channel, rated.decision) == ("INC1", "phone", "invited")
    assert rated.invitation_id == made["invitation"]
    assert rated.requester.employee_id == "E1"
    assert Ticket.objects.get(pk=made["skipped"]).invitation_id is None
    # The response is reached through the ticket's invitation, both ways.
    assert Response.objects.get(invitation__ticket__pk=made["rated"]).pk == made["response"]
    assert Response.objects.get(pk=made["response"]).invitation.ticket.pk == made["rated"]
    assert not Response.objects.filter(pk=made["other"], invitation__ticket__isnull=False)
    assert apps.get_model("jobs", "Job").objects.get(pk=made["job"]).kind == "tickets.import"
    # A ticket made now gets a new id (the table kept its sequence when renamed).
    later = Ticket.objects.create(external_id="INC3", opened_at=RESOLVED, resolved_at=RESOLVED)
    assert later.pk > made["skipped"]
    later.delete()

    executor = migrate_to(BEFORE)
    apps = executor.loader.project_state(STATE_BEFORE).apps
    Invitation = apps.get_model("listening", "Invitation")
    Response = apps.get_model("listening", "Response")
    assert Invitation.objects.get(pk=made["invitation"]).ticket_id == made["rated"]
    assert Response.objects.get(pk=made["response"]).ticket_id == made["rated"]
    assert Response.objects.get(pk=made["other"]).ticket_id is None
    assert apps.get_model("jobs", "Job").objects.get(pk=made["job"]).kind == \
        "listening.tickets_import"
    migrate_to(latest_migrations())
