"""Insights test data: barometer waves and answers, rated tickets."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.listening import services
from phare.listening.models import Invitation, Response, Wave
from phare.tickets.models import Ticket
from tests.listening.factories import full_answers, make_barometer


def add_wave(survey, number: int, opens: dt.date) -> Wave:
    return Wave.objects.create(survey=survey, version=survey.current_version(), number=number,
                               name=f"Vague {number}", opens_on=opens,
                               closes_on=opens + dt.timedelta(days=20), status="closed")


def answer(survey, wave, *, nps: int, unit: str = "VEN", site: str = "LYS", job: str = "COM",
           day: dt.date | None = None, **overrides) -> Response:
    answers = {**full_answers(nps), **overrides}
    response = services.response_submit(
        survey=survey, wave=wave, answers=answers, channel="invitation",
        segment={"unit_code": unit, "site_code": site, "job_family_code": job})
    if day is not None:
        Response.objects.filter(pk=response.pk).update(submitted_on=day)
    return response


def requester(number):
    """A requester of their own for each ticket number (ratings are counted by people)."""
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
                                           person=person, email=person.email,
                                           **services.segment_of(person))
    Ticket.objects.filter(pk=ticket.pk).update(invitation=invitation)
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


def make_two_waves(created_by) -> tuple:
    """A barometer with two closed waves: 12 answers in the first (8 from VEN, 4 from DSI — too
    few to be shown), 10 in the second, all from VEN. Returns (survey, first, second)."""
    survey = make_barometer(created_by=created_by)
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for i in range(12):
        answer(survey, first, nps=[10, 9, 7, 3][i % 4], unit="VEN" if i < 8 else "DSI",
               day=dt.date(2025, 1, 8))
    for i in range(10):
        answer(survey, second, nps=[10, 9, 9, 8, 2][i % 5], unit="VEN",
               day=dt.date(2025, 7, 9))
    return survey, first, second
