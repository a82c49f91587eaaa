"""Survey invitations under contact pressure: listening's own opt-out and cap, and the one
policy of phare.contact (quiet periods, the budget shared with campaigns, opt-outs by
category), each refused person with the first reason that applies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phare.contact import services as contact
from phare.contact.models import Category
from phare.listening import pressure, services
from phare.listening.models import Invitation
from tests.contact.factories import solicit
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
