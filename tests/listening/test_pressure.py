"""Survey invitations under contact pressure: listening's own opt-out and cap, and the one
policy of phare.contact (quiet periods, the budget shared with campaigns, opt-outs by
category), each refused person with the first reason that applies; the same answers for
many people; a wave launch and a campaign's claim racing for the same people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone, translation

from phare.contact import policy
from phare.contact import services as contact
from phare.contact.models import Category
from phare.listening import pressure, services
from phare.listening.models import Invitation, Wave
from tests.contact.factories import hold_then, solicit
from tests.listening.factories import make_barometer, make_crowd, plan

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _budgets(settings):
    settings.PHARE_SURVEY_CONTACT_CAP = 4
    settings.PHARE_SURVEY_CONTACT_DAYS = 90
    settings.PHARE_CONTACT_CAP = 3
    settings.PHARE_CONTACT_DAYS = 7
    settings.PHARE_CONTACT_RESERVE = 1


def test_it_refuses_those_the_shared_budget_has_no_room_for(org):
    busy, light, free = make_crowd(org, 3)
    solicit(busy, 3)  # campaign emails, events, notices: the shared budget is spent
    solicit(light, 2)  # newsletters would stop here; surveys may use the whole budget
    assert pressure.refusals([busy.pk, light.pk, free.pk]) == {busy.pk: pressure.CONTACT_CAP}
    assert pressure.refusal(light.pk) is None


def test_it_refuses_those_a_quiet_period_holds_back(org):
    people = make_crowd(org, 4)  # DG, DSI (below DG), VEN, VEN
    contact.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                              units=[org["dg"]], categories=[Category.SURVEY])
    assert pressure.refusals([p.pk for p in people]) == {
        people[0].pk: pressure.QUIET_PERIOD, people[1].pk: pressure.QUIET_PERIOD}


def test_either_opt_out_refuses_and_comes_first(org):
    listening_out, quiet_and_capped, contact_out, capped = make_crowd(org, 4)  # DG DSI VEN VEN
    services.opt_out_record(person_id=listening_out.pk)
    contact.opt_out(person=contact_out, category=Category.SURVEY)
    contact.opt_out(person=capped, category=Category.NEWSLETTER)  # not about surveys
    contact.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                              units=[org["dsi"]], categories=[])
    for person in (listening_out, contact_out, quiet_and_capped, capped):
        solicit(person, 3)
    assert pressure.refusals([listening_out.pk, contact_out.pk, quiet_and_capped.pk,
                              capped.pk]) == {
        listening_out.pk: pressure.OPTED_OUT, contact_out.pk: pressure.OPTED_OUT,
        quiet_and_capped.pk: pressure.QUIET_PERIOD, capped.pk: pressure.CONTACT_CAP}


def test_surveys_own_cap_still_holds_over_its_longer_window(org, settings):
    settings.PHARE_SURVEY_CONTACT_CAP = 2
    (person,) = make_crowd(org, 1)
    survey = make_barometer()
    for days in (30, 60):
        invitation = Invitation.objects.create(survey=survey, version=survey.current_version(),
                                               person=person, email=person.email)
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days))
    # Out of the shared budget's week, inside surveys' 90 days.
    assert pressure.refusals([person.pk]) == {person.pk: pressure.CONTACT_CAP}


def test_a_launched_wave_spends_the_shared_budget_of_campaigns(org):
    people = make_crowd(org, 8)
    survey = make_barometer()
    for slug in ("pulse-1", "pulse-2"):
        services.wave_launch(plan(make_barometer(slug)))
    # Each person has 2 survey invitations this week: newsletters are refused, surveys not.
    ids = [p.pk for p in people]
    assert contact.claim(person_ids=ids, category=Category.NEWSLETTER, mandatory=False,
                         source="comms", reference="action-1") == dict.fromkeys(
        ids, pressure.CONTACT_CAP)
    done = services.wave_launch(plan(survey))
    assert (done["invited"], done["contact_cap"]) == (8, 0)
    assert pressure.refusals(ids) == dict.fromkeys(ids, pressure.CONTACT_CAP)


# --- many people: the same answers ---------------------------------------------------------------

def test_many_people_get_the_answers_few_people_get(org, settings, monkeypatch):
    settings.PHARE_SURVEY_CONTACT_CAP = 2
    people = make_crowd(org, 30)
    (outsider,) = make_crowd(org, 1, prefix="Z")
    survey = make_barometer()
    for i, person in enumerate([*people, outsider, outsider]):
        for days in range(i % 3):  # 0, 1 or 2 invitations: 2 reach surveys' own cap
            invitation = Invitation.objects.create(
                survey=survey, version=survey.current_version(), person=person,
                email=person.email)
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=timezone.now() - dt.timedelta(days=3 + 20 * days))
        if i % 7 == 0:
            services.opt_out_record(person_id=person.pk)
    solicit(people[1], 3)
    contact.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                              units=[org["dsi"]], categories=[Category.SURVEY])
    ids = [p.pk for p in people]
    start, end = timezone.now() - dt.timedelta(days=30), timezone.now()

    def answers() -> tuple[object, ...]:
        return (pressure.count_invitations(ids, start, end), pressure.refusals(ids),
                pressure.quiet_until(ids))

    few = answers()
    assert set(few[1].values()) == set(pressure.REASONS)
    assert few[0][people[2].pk] == 2 and people[0].pk not in few[0]
    monkeypatch.setattr(policy, "MANY", 5)
    assert answers() == few


def test_it_says_who_was_left_out_by_reason_in_the_active_language():
    counts = {"population": 40, "invited": 30, "opted_out": 2, "quiet_period": 8,
              "contact_cap": 0}
    with translation.override("en"):
        assert pressure.left_out(counts) == "Opted out: 2, Quiet period: 8"
        assert pressure.left_out({"opted_out": 0}) == ""
    with translation.override("fr"):
        assert pressure.left_out({"contact_cap": 3}) == "Limite de sollicitations atteinte: 3"


# --- a wave launch and a campaign's claim for the same people (PostgreSQL) ----------------------

def _race_setup(org, settings) -> tuple[list[int], Wave]:
    settings.PHARE_CONTACT_CAP = 1
    settings.PHARE_CONTACT_RESERVE = 0
    people = make_crowd(org, 12)
    return [p.pk for p in people], plan(make_barometer())


def _claim(ids: list[int]) -> dict[int, str]:
    return contact.claim(person_ids=ids, category=Category.NEWSLETTER, mandatory=False,
                         source="comms", reference="action-1")


def _each_once(ids: list[int]) -> bool:
    start, end = policy.window()
    return policy.load(ids, start=start, end=end) == dict.fromkeys(ids, 1)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_wave_launched_during_a_claim_waits_and_leaves_its_people_out(org, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time (IMMEDIATE), so there is no "
                    "race to test: run with PHARE_TEST_DATABASE_URL=postgres://… to check it")
    ids, wave = _race_setup(org, settings)
    claimed, launched = hold_then(lambda: _claim(ids), lambda: services.wave_launch(wave))
    assert claimed == {}
    assert (launched["invited"], launched["contact_cap"]) == (0, 12)
    assert _each_once(ids)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_claim_made_during_a_wave_launch_waits_and_gives_way(org, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time (IMMEDIATE), so there is no "
                    "race to test: run with PHARE_TEST_DATABASE_URL=postgres://… to check it")
    ids, wave = _race_setup(org, settings)
    launched, claimed = hold_then(lambda: services.wave_launch(wave), lambda: _claim(ids))
    assert launched["invited"] == 12
    assert claimed == dict.fromkeys(ids, pressure.CONTACT_CAP)
    assert _each_once(ids)
