"""The calendar: month grid, timeline, filters, collisions and the forecast pressure."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import translation

from phare.comms import calendar
from phare.comms.calendar import CalendarInvalid, Filters
from phare.comms.models import Action
from phare.contact.models import Category, Solicitation
from phare.directory.models import BusinessUnit, Person
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_action, make_audience, make_people, make_plan

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _budget(settings):
    settings.PHARE_CONTACT_CAP = 3
    settings.PHARE_CONTACT_DAYS = 7
    settings.PHARE_USAGE_MIN_GROUP = 5


def unit_with_people(org, code: str, n: int) -> tuple[BusinessUnit, list[Person]]:
    unit = BusinessUnit.objects.create(code=code, name=f"Unit {code}")
    return unit, make_people(org, n, prefix=code, unit=unit)


def solicit(people: list[Person], day: dt.date, reference: str = "x") -> None:
    at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    Solicitation.objects.bulk_create(
        Solicitation(person=p, category=Category.SURVEY, source="test", reference=reference,
                     at=at) for p in people)


# --- month grid -------------------------------------------------------------------------------

def test_it_lays_out_a_month_starting_on_sunday_from_monday(personas):
    plan = make_plan(personas["marketing"])
    first = make_action(plan, "Le premier", starts_on=dt.date(2027, 8, 1))
    long = make_action(plan, "Trois jours", starts_on=dt.date(2027, 8, 30),
                       ends_on=dt.date(2027, 9, 1))
    before = make_action(plan, "Juillet", starts_on=dt.date(2027, 7, 26))
    make_action(plan, "Hors grille", starts_on=dt.date(2027, 7, 25))
    make_action(plan, "Septembre", starts_on=dt.date(2027, 9, 6))

    grid = calendar.month(Action.objects.all(), 2027, 8)  # 1 August 2027 is a Sunday
    assert len(grid.weeks) == 6
    assert all(len(week) == 7 for week in grid.weeks)
    assert [d.date for d in grid.weeks[0]][0] == dt.date(2027, 7, 26)
    assert [d.in_month for d in grid.weeks[0]] == [False] * 6 + [True]
    assert grid.weeks[-1][-1].date == dt.date(2027, 9, 5)
    assert [d.in_month for d in grid.weeks[-1]] == [True, True] + [False] * 5
    assert grid.weeks[0][6].actions == [first]
    assert grid.weeks[0][0].actions == [before]
    # An action of several days is on each of them, across the end of the month.
    assert [d.date for week in grid.weeks for d in week if long in d.actions] == [
        dt.date(2027, 8, 30), dt.date(2027, 8, 31), dt.date(2027, 9, 1)]
    assert sum(len(d.actions) for week in grid.weeks for d in week) == 5
    assert (grid.previous, grid.next) == ((2027, 7), (2027, 9))
    assert calendar.month([], 2027, 12).next == (2028, 1)


def test_it_refuses_a_month_that_does_not_exist():
    with pytest.raises(CalendarInvalid) as refused:
        calendar.month([], 2027, 13)
    assert refused.value.details[0][0] == "month"


# --- timeline ---------------------------------------------------------------------------------

def test_it_draws_bars_per_channel_and_per_owner(personas):
    plan = make_plan(personas["marketing"])
    a = make_action(plan, "A", starts_on=dt.date(2027, 2, 20), ends_on=dt.date(2027, 3, 5),
                    owner=personas["marketing"])
    b = make_action(plan, "B", starts_on=dt.date(2027, 3, 3), owner=personas["owner"])
    c = make_action(plan, "C", starts_on=dt.date(2027, 3, 20), channel=Action.Channel.PORTAL)
    make_action(plan, "Avril", starts_on=dt.date(2027, 4, 2))

    line = calendar.timeline(Action.objects.all(), MONDAY, dt.date(2027, 3, 31))
    assert [row.key for row in line.rows] == list(Action.Channel.values)
    email = line.rows[0]
    assert [bar.action for bar in email.bars] == [a, b]
    first, second = email.bars
    assert (first.start, first.end, first.left, first.continues_before) == (
        MONDAY, dt.date(2027, 3, 5), 0, True)
    assert first.width == pytest.approx(100 * 5 / 31)
    assert (first.lane, second.lane, email.lanes) == (0, 1, 2)  # they overlap on the 3rd
    assert line.rows[1].bars[0].action == c
    assert line.rows[1].bars[0].left == pytest.approx(100 * 19 / 31)
    assert line.months == [(MONDAY, 0.0)]
    assert calendar.timeline([], dt.date(2027, 2, 15), dt.date(2027, 3, 16)).months == [
        (dt.date(2027, 2, 15), 0.0), (MONDAY, pytest.approx(100 * 14 / 30))]

    with translation.override("en"):
        by_owner = calendar.timeline(Action.objects.all(), MONDAY, dt.date(2027, 3, 31),
                                     by="owner")
    assert [(row.label, [bar.action for bar in row.bars]) for row in by_owner.rows] == [
        ("Mathilde Marchand", [a]), ("Olivier Owner", [b]), ("No owner", [c])]


def test_it_refuses_a_timeline_that_ends_before_it_starts():
    with pytest.raises(CalendarInvalid) as refused:
        calendar.timeline([], MONDAY, MONDAY - dt.timedelta(days=1), by="site")
    assert [name for name, _reason in refused.value.details] == ["by", "end"]


# --- filters ----------------------------------------------------------------------------------

def test_it_filters_by_each_field(org, personas):
    plan, other_plan = make_plan(personas["marketing"]), make_plan(name="Autre")
    audience = make_audience({"units": ["DSI"]})
    make_families()
    service = make_service("teams")
    everything = [
        make_action(plan, "Courriel", audience=audience, owner=personas["owner"]),
        make_action(plan, "Portail", channel=Action.Channel.PORTAL,
                    status=Action.Status.PLANNED),
        make_action(other_plan, "Autre plan"),
    ]
    queryset = Action.objects.order_by("pk")
    assert list(Filters().apply(queryset)) == everything
    assert list(Filters(channel="portal").apply(queryset)) == [everything[1]]
    assert list(Filters(audience=audience.pk).apply(queryset)) == [everything[0]]
    assert list(Filters(owner=personas["owner"].pk).apply(queryset)) == [everything[0]]
    assert list(Filters(plan=other_plan.pk).apply(queryset)) == [everything[2]]
    assert list(Filters(status="planned").apply(queryset)) == [everything[1]]
    assert list(Filters(service="nothing-by-that-name").apply(queryset)) == []
    everything[2].services.set([service])
    assert list(Filters(service="teams").apply(queryset)) == [everything[2]]
    with pytest.raises(CalendarInvalid) as refused:
        Filters(channel="fax", status="lost", plan=0)
    assert [name for name, _reason in refused.value.details] == ["channel", "status", "plan"]


# --- collisions -------------------------------------------------------------------------------

def test_it_flags_weeks_where_people_go_over_the_budget(org, personas):
    plan = make_plan(personas["marketing"])
    _unit, people = unit_with_people(org, "FIN", 6)
    finance = make_audience({"units": ["FIN"]}, name="Finance")
    week1, week2, week3 = MONDAY, MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=14)
    planned = [make_action(plan, f"S1-{i}", audience=finance, starts_on=week1 + dt.timedelta(i),
                           status=status)
               for i, status in enumerate(["idea", "planned", "approved"])]
    # Neither counted as planned: cancelled, a portal news, one already sent (in the ledger).
    make_action(plan, "Annulé", audience=finance, starts_on=week1, status="cancelled")
    make_action(plan, "Portail", audience=finance, starts_on=week1, channel="portal")
    make_action(plan, "Envoyé", audience=finance, starts_on=week1, status="done")
    solicit(people, week1 + dt.timedelta(days=6))
    solicit(people, week1 - dt.timedelta(days=1), "before")  # the week before: not counted
    # The second week: three messages, within the budget.
    for i in range(3):
        make_action(plan, f"S2-{i}", audience=finance, starts_on=week2 + dt.timedelta(i))
    # The third: two people over the budget, too few to say how many.
    third = [make_action(plan, f"S3-{i}", audience=finance, starts_on=week3,
                         send_at=dt.datetime.combine(week3 + dt.timedelta(i), dt.time(9),
                                                     tzinfo=dt.UTC))
             for i in range(3)]
    solicit(people[:2], week3 + dt.timedelta(days=3), "third")

    found = calendar.collisions(Action.objects.all())
    assert [(c.kind, c.start, c.end) for c in found] == [
        ("pressure", week1, week1 + dt.timedelta(days=6)),
        ("pressure", week3, week3 + dt.timedelta(days=6))]
    first, last = found
    assert (first.people, first.few, first.actions) == (6, False, planned)
    assert (last.people, last.few, last.actions) == (None, True, third)
    with translation.override("en"):
        assert first.message == ("6 people would receive more than 3 messages in the week of "
                                 "2027-03-01.")
        assert last.message.startswith("Fewer than 5 people would receive")


def test_it_flags_two_big_messages_on_the_same_day(org, personas, monkeypatch):
    monkeypatch.setattr(calendar, "BIG_AUDIENCE", 5)
    plan = make_plan(personas["marketing"])
    unit_with_people(org, "FIN", 6)
    unit_with_people(org, "RH", 3)
    finance = make_audience({"units": ["FIN"]}, name="Finance")
    hr = make_audience({"units": ["RH"]}, name="RH")
    day = dt.date(2027, 5, 12)
    big = [make_action(plan, "Finance", audience=finance, starts_on=day),
           make_action(plan, "Tout le monde", everyone=True, channel="event",
                       starts_on=day - dt.timedelta(days=9),
                       send_at=dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC))]
    make_action(plan, "Petit", audience=hr, starts_on=day)
    make_action(plan, "Portail", everyone=True, starts_on=day, channel="portal")
    make_action(plan, "Annulé", everyone=True, starts_on=day, status="cancelled")
    make_action(plan, "Seul ce jour", everyone=True, starts_on=day + dt.timedelta(days=1))

    found = [c for c in calendar.collisions(Action.objects.all()) if c.kind == "big_same_day"]
    assert len(found) == 1
    assert (found[0].start, found[0].actions) == (day, big)
    with translation.override("en"):
        assert found[0].message == "2 messages to large audiences on 2027-05-12."
    monkeypatch.setattr(calendar, "BIG_AUDIENCE", 6)  # six people is no longer big
    assert [c.actions for c in calendar.collisions(Action.objects.all())
            if c.kind == "big_same_day"] == []


# --- forecast ---------------------------------------------------------------------------------

def test_it_forecasts_the_pressure_per_segment_and_week(org, personas):
    plan = make_plan(personas["marketing"])
    _unit, people = unit_with_people(org, "FIN", 6)
    unit_with_people(org, "RH", 3)
    finance = make_audience({"units": ["FIN"]}, name="Finance")
    hr = make_audience({"units": ["RH"]}, name="RH")
    week2 = MONDAY + dt.timedelta(days=7)
    first = [make_action(plan, f"F{i}", audience=finance, starts_on=MONDAY) for i in range(3)]
    make_action(plan, "RH", audience=hr, starts_on=MONDAY)
    solicit(people, MONDAY + dt.timedelta(days=2))
    second = make_action(plan, "F", audience=finance, starts_on=week2 + dt.timedelta(days=4))
    for i in range(3):
        solicit(people[:1], week2 + dt.timedelta(days=i), f"r{i}")

    rows = calendar.forecast(Action.objects.all(), MONDAY + dt.timedelta(days=3), 2)
    by = {(row["week"], row["segment"]): row for row in rows}
    assert list(by) == [(MONDAY, f"audience:{finance.pk}"), (MONDAY, f"audience:{hr.pk}"),
                        (week2, f"audience:{finance.pk}"), (week2, f"audience:{hr.pk}")]
    row = by[(MONDAY, f"audience:{finance.pk}")]
    assert (row["label"], row["people"], row["mean"], row["over"], row["over_share"]) == (
        "Finance", 6, 4.0, 6, 1.0)
    assert row["actions"] == [a.pk for a in first]
    small = by[(MONDAY, f"audience:{hr.pk}")]
    assert small["hidden"] is True
    assert (small["people"], small["mean"], small["over"], small["over_share"]) == (
        None, None, None, None)
    row = by[(week2, f"audience:{finance.pk}")]
    # One person over the budget (3 + 1): neither their count nor the share is given.
    assert (row["people"], row["mean"], row["few_over"], row["over"], row["over_share"]) == (
        6, 1.5, True, None, None)
    assert row["actions"] == [second.pk]
    assert by[(week2, f"audience:{hr.pk}")]["actions"] == []
    with pytest.raises(CalendarInvalid) as refused:
        calendar.forecast([], MONDAY, 0)
    assert refused.value.details[0][0] == "weeks"


def test_it_evaluates_each_audience_once_for_thirty_actions_and_ten_thousand_people(
        org, personas, monkeypatch):
    unit = BusinessUnit.objects.create(code="ALL", name="Tous")
    Person.objects.bulk_create(
        Person(employee_id=f"B{i:05d}", first_name="F", last_name=f"L{i}",
               email=f"b{i}@example.com", business_unit=unit) for i in range(10_000))
    ids = list(Person.objects.filter(business_unit=unit).values_list("pk", flat=True))
    Solicitation.objects.bulk_create(
        Solicitation(person_id=pk, category=Category.SURVEY, source="test", reference="w",
                     at=dt.datetime.combine(MONDAY, dt.time(10), tzinfo=dt.UTC))
        for pk in ids[::2])
    plan = make_plan(personas["marketing"])
    segments = [make_audience({"units": ["ALL"]}, name=f"Tous {i}") for i in range(9)]
    for i in range(30):
        make_action(plan, f"A{i}", starts_on=MONDAY + dt.timedelta(days=i % 21),
                    **({"everyone": True} if i % 10 == 0 else {"audience": segments[i % 9]}))
    calls = []
    real = calendar.audiences.action_members

    def counted(action, **kwargs):
        calls.append(action.pk)
        return real(action, **kwargs)

    monkeypatch.setattr(calendar.audiences, "action_members", counted)
    began = time.perf_counter()
    found = calendar.collisions(Action.objects.all())
    middle = time.perf_counter()
    rows = calendar.forecast(Action.objects.all(), MONDAY, 4)
    ended = time.perf_counter()
    print(f"\ncollisions: {middle - began:.2f} s, forecast: {ended - middle:.2f} s "
          f"(30 actions, 10,000 people)")
    assert len(calls) == 2 * 10  # nine audiences and everyone, once per call
    assert {c.kind for c in found} == {"pressure", "big_same_day"}
    assert len(rows) == 4 * 10
