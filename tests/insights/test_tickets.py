from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phare.insights import tickets as T
from phare.listening import services
from phare.listening.models import Invitation, Response, Survey, Ticket
from phare.listening.tickets import ticket_survey_create


def requester(number):
    """A requester of their own for each ticket number (ratings are counted by people)."""
    from phare.directory.models import BusinessUnit, JobFamily, Person, Site

    person, _created = Person.objects.get_or_create(
        employee_id=f"R{number:05d}", defaults={
            "first_name": "Req", "last_name": f"Uester{number}",
            "email": f"req{number}@example.com",
            "business_unit": BusinessUnit.objects.get(code="VEN"),
            "site": Site.objects.get(code="LYS"), "job_family": JobFamily.objects.get(code="COM")})
    return person


def rate(survey, person, number, *, rating, lost, reasons=(), channel="portal",
         reassignments=0, group="Service Desk", resolved_hours=4.0, day=None):
    """One rated ticket, by ``person`` (``None``: a requester of its own), answered in March
    2026 (a month that is over, so released) unless ``day`` says otherwise."""
    person = person or requester(number)
    opened = timezone.make_aware(dt.datetime(2026, 3, 1 + number % 20, 9))
    ticket = Ticket.objects.create(
        external_id=f"INC{number:05d}", channel=channel, category="Poste de travail",
        opened_at=opened, resolved_at=opened + dt.timedelta(hours=resolved_hours),
        assignment_group=group, reassignment_count=reassignments, requester=person,
        decision=Ticket.Decision.INVITED)
    invitation = Invitation.objects.create(survey=survey, version=survey.current_version(),
                                           ticket=ticket, person=person, email=person.email,
                                           **services.segment_of(person))
    band = "low" if rating <= 6 else "mid" if rating <= 8 else "high"
    answers = {"rating": rating, "lost_time": lost}
    if reasons:
        answers[f"reasons_{band}"] = list(reasons)
    response = services.response_submit(survey=survey, invitation=invitation, answers=answers,
                                        channel="ticket")
    day = day or dt.date(2026, 3, 1 + number % 20)
    Response.objects.filter(pk=response.pk).update(submitted_on=day)
    response.submitted_on = day
    return response


@pytest.fixture
def rated(personas):
    survey = ticket_survey_create()
    services.survey_set_status(survey, Survey.Status.OPEN)
    person = None  # each ticket's requester is someone else
    for i in range(20):  # handled first time: happy, no time lost
        rate(survey, person, i, rating=9 + i % 2, lost="none", reasons=["fast"])
    for i in range(20, 30):  # reassigned twice: unhappy, a day lost
        rate(survey, person, i, rating=3, lost="day", reasons=["slow", "repeat"],
             reassignments=2, group="Réseau")
    for i in range(30, 33):  # a small group by phone
        rate(survey, person, i, rating=7, lost="lt_1h", channel="phone")
    return survey


def test_happiness_is_the_nps_formula_on_ratings(rated):
    data = T.experience([rated], T.TicketFilters())
    total = data.total
    assert total["n"] == 33
    assert total["happiness"].value == pytest.approx(100 * (20 - 10) / 33)
    assert total["lost_hours_total"] == pytest.approx(10 * 7.5 + 3 * 0.5)


def test_reassigned_tickets_score_lower(rated):
    data = T.experience([rated], T.TicketFilters())
    by = {row["key"]: row for row in data.reassignments}
    assert by["0"]["happiness"].value > by["2"]["happiness"].value
    assert by["2"]["happiness"].value == -100


def test_small_groups_are_suppressed(rated):
    data = T.experience([rated], T.TicketFilters())
    channels = {row["key"]: row for row in data.by["channel"]}
    assert channels["phone"]["n"] is None and channels["phone"]["suppressed"]
    assert channels["phone"]["happiness"] is None
    # The total minus the portal's figures would give the 3 phone ratings: hidden too.
    assert channels["portal"]["suppressed"] and channels["portal"]["happiness"] is None
    assert data.total["n"] == 33 and data.total["happiness"] is not None


def test_the_pareto_of_lost_time(rated):
    data = T.experience([rated], T.TicketFilters())
    # 10 tickets of 33 (30 %) lose 75 of the 76.5 hours: 80 % is reached within them.
    assert data.pareto["share_for_80"] == pytest.approx(100 * 9 / 33)
    assert data.pareto["points"][-1]["lost_pct"] == pytest.approx(100)


def test_reasons_are_counted_within_their_band(rated):
    data = T.experience([rated], T.TicketFilters())
    reasons = {(r["question"], r["option"]): r for r in data.reasons}
    assert reasons[("reasons_low", "slow")]["pct"] == 100
    assert reasons[("reasons_high", "fast")]["n"] == 20
    assert reasons[("reasons_low", "slow")]["label"] != "slow"


def test_owners_see_only_their_services(rated):
    data = T.experience([rated], T.TicketFilters(services=()))
    assert data.total is None


def test_filters_by_the_requesters_unit(rated, personas):
    data = T.experience([rated], T.TicketFilters(units=("VEN",)))
    assert data.total["n"] == 33  # every requester is in Ventes
    assert T.experience([rated], T.TicketFilters(units=("DSI",))).total is None
