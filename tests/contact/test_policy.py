"""The one contact-pressure policy: the budget and its reserve, mandatory notices, quiet
periods with sub-units, opt-outs, the counters of other apps, and its cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from phare.contact import policy, registry, services
from phare.contact.models import Category
from phare.listening.models import Invitation
from tests.contact.factories import make_people, solicit
from tests.listening.factories import make_barometer

C = Category
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _budget(settings):
    settings.PHARE_CONTACT_CAP = 3
    settings.PHARE_CONTACT_DAYS = 7
    settings.PHARE_CONTACT_RESERVE = 1


def test_it_gives_each_category_its_cap(settings):
    assert [policy.cap_for(c) for c in (C.NOTICE, C.SURVEY, C.EVENT, C.NEWSLETTER)] == [
        3, 3, 2, 2]
    assert policy.cap_for(C.NOTICE, True) is None
    settings.PHARE_CONTACT_RESERVE = 5
    assert policy.cap_for(C.NEWSLETTER) == 0


def test_it_refuses_an_unknown_category_or_a_mandatory_message_that_is_no_notice(db):
    with pytest.raises(ValidationError) as refused:
        policy.refusals([1], category="spam")
    assert "category" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        policy.cap_for(C.NEWSLETTER, True)
    assert "mandatory" in refused.value.message_dict


def test_it_counts_the_solicitations_of_the_rolling_window(org):
    full, light, old = make_people(org, 3)
    solicit(full, 3, days_ago=6)
    solicit(light, 2)
    solicit(old, 3, days_ago=8)  # out of the window
    ids = [full.pk, light.pk, old.pk]
    assert policy.refusals(ids, category=C.SURVEY) == {full.pk: policy.CONTACT_CAP}
    start, end = policy.window()
    assert policy.load(ids, start=start, end=end) == {full.pk: 3, light.pk: 2, old.pk: 0}
    # A week later the oldest solicitations have left the window.
    later = timezone.now() + dt.timedelta(days=1, hours=1)
    assert policy.refusals(ids, category=C.SURVEY, now=later) == {}


def test_it_keeps_a_reserve_for_surveys_and_notices(org):
    (person,) = make_people(org, 1)
    solicit(person, 2, category=C.SURVEY)
    for category in (C.EVENT, C.NEWSLETTER):
        assert policy.refusals([person.pk], category=category) == {
            person.pk: policy.CONTACT_CAP}
    for category in (C.SURVEY, C.NOTICE):
        assert policy.refusals([person.pk], category=category) == {}


def test_it_never_refuses_a_mandatory_notice_but_counts_it(org):
    (person,) = make_people(org, 1)
    services.opt_out(person=person, category=C.NEWSLETTER)
    services.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY, units=[],
                               categories=[])
    solicit(person, 3)
    assert policy.refusals([person.pk], category=C.NOTICE, mandatory=True) == {}
    assert services.claim(person_ids=[person.pk], category=C.NOTICE, mandatory=True,
                          source="comms", reference="outage") == {}
    start, end = policy.window()
    assert policy.load([person.pk], start=start, end=end) == {person.pk: 4}


def test_a_notice_that_is_not_mandatory_uses_the_whole_budget_and_no_quiet_period(org):
    (person,) = make_people(org, 1)
    services.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY, units=[],
                               categories=[])
    solicit(person, 2)
    assert policy.refusals([person.pk], category=C.NOTICE) == {}
    solicit(person, 1)
    assert policy.refusals([person.pk], category=C.NOTICE) == {person.pk: policy.CONTACT_CAP}


def test_a_quiet_period_holds_back_its_units_and_their_sub_units(org):
    top = make_people(org, 2, prefix="T", unit=org["dg"])
    below = make_people(org, 2, prefix="B", unit=org["dsi"])  # DSI is a sub-unit of DG
    aside = make_people(org, 2, prefix="S", unit=org["sales"])
    ids = [p.pk for p in top + below + aside]
    services.quiet_period_save(name="Clôture DG", starts_on=TODAY - dt.timedelta(days=2),
                               ends_on=TODAY, units=[org["dg"]], categories=[C.NEWSLETTER])
    expected = {p.pk: policy.QUIET_PERIOD for p in top + below}
    assert policy.refusals(ids, category=C.NEWSLETTER) == expected
    # Only the categories it names, only on its days.
    assert policy.refusals(ids, category=C.SURVEY) == {}
    assert policy.refusals(ids, category=C.NEWSLETTER,
                           now=timezone.now() + dt.timedelta(days=1)) == {}
    assert policy.refusals(ids, category=C.NEWSLETTER,
                           now=timezone.now() - dt.timedelta(days=3)) == {}
    # A period of the sub-unit only leaves the unit above it alone.
    services.quiet_period_save(name="Clôture DSI", starts_on=TODAY, ends_on=TODAY,
                               units=[org["dsi"]], categories=[C.EVENT])
    assert policy.refusals(ids, category=C.EVENT) == {p.pk: policy.QUIET_PERIOD
                                                      for p in below}


def test_a_quiet_period_without_units_or_categories_holds_back_everyone_and_everything(org):
    people = make_people(org, 2, unit=org["sales"])
    ids = [p.pk for p in people]
    services.quiet_period_save(name="Fêtes", starts_on=TODAY, ends_on=TODAY, units=[],
                               categories=[])
    for category in (C.SURVEY, C.EVENT, C.NEWSLETTER):
        assert policy.refusals(ids, category=category) == dict.fromkeys(
            ids, policy.QUIET_PERIOD)


def test_opt_outs_are_by_category_and_come_first(org):
    out, quiet, busy, free = make_people(org, 4, unit=org["sales"])
    ids = [out.pk, quiet.pk, busy.pk, free.pk]
    services.opt_out(person=out, category=C.EVENT)
    services.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                               units=[org["sales"]], categories=[C.EVENT])
    services.quiet_period_save(name="Pause", starts_on=TODAY, ends_on=TODAY,
                               units=[], categories=[C.NEWSLETTER])
    for person in (out, quiet, busy):
        solicit(person, 2)
    # Everyone is quiet for events and out of budget but ``free``; the first reason wins.
    assert policy.refusals(ids, category=C.EVENT) == {
        out.pk: policy.OPTED_OUT, quiet.pk: policy.QUIET_PERIOD, busy.pk: policy.QUIET_PERIOD,
        free.pk: policy.QUIET_PERIOD}
    assert policy.refusals(ids, category=C.SURVEY) == {}  # the opt-out is for events only
    assert policy.opted_out(ids, category=C.EVENT) == {out.pk}
    assert policy.opted_out(ids, category=C.NOTICE) == set()


def test_a_survey_invitation_counts_through_listenings_counter(org):
    assert "listening.invitations" in registry.counters()
    (person,) = make_people(org, 1)
    survey = make_barometer()
    for _ in range(2):
        Invitation.objects.create(survey=survey, version=survey.current_version(),
                                  person=person, email=person.email)
    start, end = policy.window()
    assert policy.load([person.pk], start=start, end=end) == {person.pk: 2}
    assert policy.refusals([person.pk], category=C.NEWSLETTER) == {
        person.pk: policy.CONTACT_CAP}
    assert policy.refusals([person.pk], category=C.SURVEY) == {}


def test_a_registered_counter_is_added_to_the_ledger(org, monkeypatch):
    one, two = make_people(org, 2)
    seen: list[tuple[list[int], dt.datetime, dt.datetime]] = []

    def webinars(ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
        seen.append((ids, start, end))
        return {one.pk: 2, 999_999: 5}  # someone not asked about is ignored

    monkeypatch.setattr(registry, "_COUNTERS", dict(registry._COUNTERS))
    registry.register_counter("test.webinars", webinars)
    solicit(one)
    start, end = policy.window()
    assert policy.load([one.pk, two.pk], start=start, end=end) == {one.pk: 3, two.pk: 0}
    assert seen == [([one.pk, two.pk], start, end)]


def test_its_reasons_are_labelled_in_the_active_language():
    with translation.override("en"):
        assert [policy.reason_label(r) for r in policy.REASONS] == [
            "Opted out", "Quiet period", "Contact limit reached"]
    with pytest.raises(ValueError):
        policy.reason_label("no_email")


def _queries(ids: list[int], category: str) -> int:
    with CaptureQueriesContext(connection) as context:
        policy.refusals(ids, category=category)
    return len(context.captured_queries)


def test_it_costs_the_same_queries_for_3_or_300_people(org, django_assert_max_num_queries):
    people = make_people(org, 300)
    services.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                               units=[org["dg"]], categories=[C.EVENT])
    for person in people[::10]:
        services.opt_out(person=person, category=C.NEWSLETTER)
        solicit(person, 2)
    ids = [p.pk for p in people]
    few = _queries(ids[:3], C.EVENT)
    assert few == _queries(ids, C.EVENT)
    assert _queries(ids[:3], C.NEWSLETTER) == _queries(ids, C.NEWSLETTER)
    # Opt-outs, quiet periods, their units, the unit tree, the people in them (the ledger and
    # listening's counter are not asked about people already refused).
    with django_assert_max_num_queries(5):
        refused = policy.refusals(ids, category=C.EVENT)
    assert refused == dict.fromkeys(ids, policy.QUIET_PERIOD)
    # Opt-outs, quiet periods (none for newsletters), the ledger, listening's counter.
    with django_assert_max_num_queries(4):
        refused = policy.refusals(ids, category=C.NEWSLETTER)
    assert refused == {p.pk: policy.OPTED_OUT for p in people[::10]}


# --- many people: the window read once, the people kept in Python ------------------------------

def _answers(ids: list[int]) -> dict[str, object]:
    start, end = policy.window()
    return {"load": policy.load(ids, start=start, end=end),
            **{f"refusals {c}": policy.refusals(ids, category=c) for c in C.values},
            "opted_out": policy.opted_out(ids, category=C.EVENT),
            "quiet": policy.quiet(ids, category=C.EVENT),
            "quiet_until": policy.quiet_until(ids, category=C.EVENT)}


def test_many_people_get_the_answers_few_people_get(org, monkeypatch):
    people = (make_people(org, 30, unit=org["sales"])
              + make_people(org, 10, prefix="Q", unit=org["dg"]))
    survey = make_barometer()
    for i, person in enumerate(people):
        solicit(person, i % 4)
        solicit(person, 2, days_ago=10)  # before the window
        if i % 7 == 0:
            services.opt_out(person=person, category=C.EVENT)
        if i % 5 == 0:
            Invitation.objects.create(survey=survey, version=survey.current_version(),
                                      person=person, email=person.email)
    (outsider,) = make_people(org, 1, prefix="Z")  # busy, quiet, opted out, not asked about
    solicit(outsider, 5)
    services.opt_out(person=outsider, category=C.EVENT)
    Invitation.objects.create(survey=survey, version=survey.current_version(),
                              person=outsider, email=outsider.email)
    services.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                               units=[org["dg"]], categories=[C.EVENT])
    ids = [p.pk for p in people]
    few = _answers(ids)
    assert few["load"][people[5].pk] == 1 + 1  # the ledger and listening's invitations
    assert set(few["refusals event"].values()) == set(policy.REASONS)
    monkeypatch.setattr(policy, "MANY", 5)
    many = _answers(ids)
    assert many == few
    assert all(outsider.pk not in answer for answer in many.values())  # type: ignore[operator]


def test_for_many_people_no_query_names_them_and_counters_are_asked_once(org, monkeypatch):
    people = make_people(org, 60)
    ids = [p.pk for p in people]
    for person in people[::3]:
        solicit(person, 2)
    seen: list[int] = []

    def webinars(asked: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
        seen.append(len(asked))
        return {}

    monkeypatch.setattr(registry, "_COUNTERS", dict(registry._COUNTERS))
    registry.register_counter("test.webinars", webinars)
    monkeypatch.setattr(policy, "MANY", 10)
    with CaptureQueriesContext(connection) as context:
        refused = policy.refusals(ids, category=C.NEWSLETTER)
    assert refused == {p.pk: policy.CONTACT_CAP for p in people[::3]}
    assert seen == [60]
    # Without the 60 ids (59 commas in IN (…)), each query has only its own few commas.
    assert max(q["sql"].count(",") for q in context.captured_queries) < 20
    # Under a third of the directory, they are named again: cheaper than everyone's window.
    make_people(org, 121, prefix="X")
    with CaptureQueriesContext(connection) as context:
        assert policy.refusals(ids, category=C.NEWSLETTER) == refused
    assert max(q["sql"].count(",") for q in context.captured_queries) >= 59


# --- until when a quiet period holds people back -----------------------------------------------

def test_it_says_until_when_quiet_periods_hold_each_person_back(org):
    day = dt.timedelta(days=1)
    (top,) = make_people(org, 1, prefix="T", unit=org["dg"])
    (below,) = make_people(org, 1, prefix="B", unit=org["dsi"])
    (sales,) = make_people(org, 1, prefix="V", unit=org["sales"])
    ids = [top.pk, below.pk, sales.pk]
    save = services.quiet_period_save
    save(name="Clôture DG", starts_on=TODAY - day, ends_on=TODAY + 2 * day,
         units=[org["dg"]], categories=[C.SURVEY])
    # The day after, for the IT unit only (below DG): one quiet run for its people.
    save(name="Inventaire DSI", starts_on=TODAY + 3 * day, ends_on=TODAY + 5 * day,
         units=[org["dsi"]], categories=[])
    # Overlapping it, shorter: changes nothing.
    save(name="Revue", starts_on=TODAY + day, ends_on=TODAY + 4 * day, units=[org["dsi"]],
         categories=[C.SURVEY])
    # After a free day: another run, not this one.
    save(name="Fêtes", starts_on=TODAY + 7 * day, ends_on=TODAY + 9 * day, units=[],
         categories=[])
    save(name="Salon", starts_on=TODAY, ends_on=TODAY + 20 * day, units=[org["sales"]],
         categories=[C.EVENT])
    assert policy.quiet_until(ids, category=C.SURVEY) == {top.pk: TODAY + 2 * day,
                                                          below.pk: TODAY + 5 * day}
    assert set(policy.quiet_until(ids, category=C.SURVEY)) == policy.quiet(
        ids, category=C.SURVEY)
    assert policy.quiet_until(ids, category=C.EVENT) == {sales.pk: TODAY + 20 * day}
    assert policy.quiet_until(ids, category=C.NOTICE) == {}
    noon = timezone.make_aware(dt.datetime.combine(TODAY + 8 * day, dt.time(12)))
    assert policy.quiet_until(ids, category=C.NEWSLETTER, now=noon) == dict.fromkeys(
        ids, TODAY + 9 * day)
    assert policy.quiet_until([], category=C.SURVEY) == {}
