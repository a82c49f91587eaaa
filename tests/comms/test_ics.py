"""The plan's ICS feed and an event's invitation, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import override_settings
from django.utils import translation

from phare.comms import ics
from phare.comms.models import Action
from tests.comms.factories import make_action, make_audience, make_plan

pytestmark = pytest.mark.django_db


def events(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


@override_settings(PHARE_BASE_URL="https://phare.example.com")
def test_it_writes_one_event_per_action_with_stable_uids_and_fields(personas):
    plan = make_plan(personas["marketing"])
    audience = make_audience(name="Ventes France")
    day = make_action(plan, "Newsletter de mars", starts_on=dt.date(2027, 3, 1),
                      ends_on=dt.date(2027, 3, 3), status=Action.Status.PLANNED,
                      audience=audience, owner=personas["marketing"])
    timed = make_action(plan, "Atelier Copilot", channel=Action.Channel.EVENT,
                        starts_on=dt.date(2027, 3, 10), status=Action.Status.APPROVED,
                        starts_at=dt.datetime(2027, 3, 10, 9, 30, tzinfo=dt.UTC),
                        ends_at=dt.datetime(2027, 3, 10, 11, tzinfo=dt.UTC),
                        location="Salle Jupiter", everyone=True)
    cancelled = make_action(plan, "Annulé", status=Action.Status.CANCELLED)
    with translation.override("en"):
        body = ics.plan_feed(Action.objects.order_by("pk"), name="Plan 2027")
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["X-WR-CALNAME"]) == "Plan 2027"
    assert str(cal["VERSION"]) == "2.0"
    found = {str(event["UID"]): event for event in cal.walk("VEVENT")}
    assert set(found) == {f"comms-action-{a.pk}@phare.example.com"
                          for a in (day, timed, cancelled)}

    first = found[f"comms-action-{day.pk}@phare.example.com"]
    assert first.decoded("DTSTART") == dt.date(2027, 3, 1)
    assert first.decoded("DTEND") == dt.date(2027, 3, 4)  # all day: the day after the last
    assert str(first["SUMMARY"]) == "Newsletter de mars (in French)"  # an English reader
    assert str(first["STATUS"]) == "TENTATIVE"
    assert first.categories == ["Email"]
    assert str(first["URL"]) == f"https://phare.example.com/comms/actions/{day.pk}/"
    assert first.decoded("DTSTAMP") == day.updated_at.astimezone(dt.UTC).replace(microsecond=0)
    description = str(first["DESCRIPTION"])
    assert "Channel: Email" in description
    assert "Status: Planned" in description
    assert "Owner: Mathilde Marchand" in description
    assert "Audience: Ventes France (in French)" in description
    assert f"https://phare.example.com/comms/actions/{day.pk}/" in description

    second = found[f"comms-action-{timed.pk}@phare.example.com"]
    assert second.decoded("DTSTART") == dt.datetime(2027, 3, 10, 9, 30, tzinfo=dt.UTC)
    assert second.decoded("DTEND") == dt.datetime(2027, 3, 10, 11, tzinfo=dt.UTC)
    assert str(second["STATUS"]) == "CONFIRMED"
    assert str(second["LOCATION"]) == "Salle Jupiter"
    assert "Audience: Everyone" in str(second["DESCRIPTION"])
    assert "Owner: No owner" in str(second["DESCRIPTION"])
    assert second.categories == ["Event invitation"]

    assert str(found[f"comms-action-{cancelled.pk}@phare.example.com"]["STATUS"]) == "CANCELLED"
    # The same actions give the same feed (a calendar app updates, never duplicates).
    with translation.override("en"):
        assert ics.plan_feed(Action.objects.order_by("pk"), name="Plan 2027") == body


def test_it_folds_long_french_lines_without_breaking_a_character(personas):
    plan = make_plan(personas["marketing"])
    title = ("Journée portes ouvertes de la DSI : « Découvrez vos outils » — été " * 4)[:200]
    audience = make_audience(name=("Équipes financières à Besançon, Orléans et Évry " * 4)[:200])
    action = make_action(plan, title, audience=audience, owner=personas["marketing"])
    with translation.override("fr"):
        body = ics.plan_feed([action], name="Plan de communication – année 2027")
    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character in two
    (event,) = events(body)
    assert str(event["SUMMARY"]) == title
    assert audience.name in str(event["DESCRIPTION"])


def test_it_makes_an_event_invitation_for_one_person(org, personas):
    plan = make_plan(personas["marketing"])
    action = make_action(plan, "Démo Teams", channel=Action.Channel.EVENT,
                         starts_on=dt.date(2027, 4, 2), location="Auditorium",
                         starts_at=dt.datetime(2027, 4, 2, 14, tzinfo=dt.UTC),
                         ends_at=dt.datetime(2027, 4, 2, 15, tzinfo=dt.UTC))
    person = personas["employee"].person
    (event,) = events(ics.event_invitation(action, email=person.email, name=person.full_name))
    assert str(event["UID"]).startswith(f"comms-action-{action.pk}@")
    assert str(event["SUMMARY"]) == "Démo Teams"
    assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
    assert event["ATTENDEE"].params["CN"] == "Eric Martin"
    assert event.decoded("DTSTART") == dt.datetime(2027, 4, 2, 14, tzinfo=dt.UTC)
