"""Playbooks (:mod:`phare.comms.services.playbooks`): events in Phare propose draft actions —
a launch, a retirement, a published decision, a closed barometer wave — once each, in the plan
that covers the day, never sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from phare.catalog.services import service_change_lifecycle
from phare.comms import audiences, objectives
from phare.comms.models import Action, Audience, Delivery, Objective
from phare.comms.services import playbooks
from phare.contact.models import Category, Solicitation
from phare.needs import services as needs_services
from phare.needs.services import (
    arbitration_explain,
    arbitration_run,
    decision_publish,
    decision_record,
)
from tests.comms.factories import make_people, make_plan
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer
from tests.needs.factories import make_campaign, make_need, score
from tests.usage.factories import import_events, use
from tests.usage.factories import service as make_service

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def plan(personas):
    return make_plan(personas["marketing"], name="Plan de l'année",
                     starts_on=TODAY - dt.timedelta(days=200),
                     ends_on=TODAY + dt.timedelta(days=200))


def _nothing_sent() -> None:
    assert not Delivery.objects.exists()
    assert not Solicitation.objects.exists()
    assert mail.outbox == []
    assert not Action.objects.exclude(status=Action.Status.IDEA).exists()


def _checked_audiences() -> None:
    for audience in Audience.objects.all():
        assert audiences.check(audience.criteria) == audience.criteria


def _origins() -> dict[str, Action]:
    return {action.origin: action for action in Action.objects.all()}


# -- a service goes live ------------------------------------------------------------------------

def test_it_proposes_the_launch_email_news_and_pulse_once(org, personas, plan):
    teams = make_service("teams", name="Teams", lifecycle="design",
                         promise_fr="Réunions et conversations", promise_en="Meetings and chats",
                         name_en="Teams")
    service_change_lifecycle(user=personas["marketing"], service=teams, to="live")

    created = playbooks.propose()
    assert len(created) == 3
    found = _origins()
    email, news, pulse = (found[f"launch:{teams.pk}:{part}"]
                          for part in ("email", "news", "pulse"))
    assert (email.channel, news.channel, pulse.channel) == ("email", "portal", "email")
    assert email.plan == plan and email.status == Action.Status.IDEA
    assert email.audience.criteria == {"services": ["teams"]}
    assert "{first_name}" in email.body_fr and "Meetings and chats" in email.body_en
    assert "/catalogue/teams/" in email.body_fr
    assert news.expires_on == TODAY + dt.timedelta(days=playbooks.NEWS_DAYS)
    assert pulse.category == Category.SURVEY
    assert pulse.starts_on == TODAY + dt.timedelta(days=playbooks.PULSE_DAYS)
    # Its usage is not measured: the pulse goes to everyone it is for.
    assert pulse.audience == email.audience
    assert list(email.services.all()) == [teams]
    _checked_audiences()

    assert playbooks.propose() == []
    assert Action.objects.count() == 3
    _nothing_sent()


def test_an_event_with_one_proposal_left_is_not_proposed_again(
        org, personas, plan):
    teams = make_service("visio", lifecycle="design")
    service_change_lifecycle(user=personas["marketing"], service=teams, to="live")
    playbooks.propose()
    Action.objects.filter(origin=f"launch:{teams.pk}:news").delete()
    # One proposal of the event is left: the event stays proposed.
    assert playbooks.propose() == []
    assert Action.objects.count() == 2


# -- a service retires ------------------------------------------------------------------------

def _retiring(personas, *, with_usage: bool, org=None):
    old = make_service("citrix", name="Bureau Citrix", name_en="Citrix desktop")
    new = make_service("vdi-cloud", name="Poste virtuel", name_en="Cloud desktop")
    users = []
    if with_usage:
        users = make_people(org, 6, prefix="U")
        import_events(use(users[:4], "citrix", TODAY - dt.timedelta(days=10))
                      + use(users[4:], "vdi-cloud", TODAY - dt.timedelta(days=10)),
                      today=TODAY)
    service_change_lifecycle(user=personas["marketing"], service=old, to="retiring",
                             replacement=new)
    return old, new, users


def test_a_retiring_service_proposes_mandatory_notices_to_its_active_users(org, personas, plan):
    old, new, users = _retiring(personas, with_usage=True, org=org)
    created = playbooks.propose()
    assert len(created) == 2
    found = _origins()
    email = found[f"retirement:{old.pk}:email"]
    reminder = found[f"retirement:{old.pk}:reminder"]
    for action in (email, reminder):
        assert action.mandatory and action.category == Category.NOTICE
        assert "Poste virtuel" in action.subject_fr and "Cloud desktop" in action.subject_en
        assert "/catalogue/vdi-cloud/" in action.body_fr
        assert set(action.services.all()) == {old, new}
    assert reminder.starts_on == email.starts_on + dt.timedelta(days=playbooks.REMINDER_DAYS)
    assert email.audience.criteria["usage"] == {"service": "citrix", "state": "active",
                                                "days": 90}
    assert audiences.members(email.audience.criteria) == sorted(u.pk for u in users[:4])
    _checked_audiences()
    _nothing_sent()


def test_a_retiring_service_without_usage_writes_to_its_audience(org, personas, plan):
    old, _new, _users = _retiring(personas, with_usage=False)
    playbooks.propose()
    email = _origins()[f"retirement:{old.pk}:email"]
    assert email.audience.criteria == {"services": ["citrix"]}
    assert email.mandatory


# -- a decision is published --------------------------------------------------------------------

def test_a_published_decision_proposes_you_said_we_did_to_submitters_and_voters(
        org, personas, plan):
    lead = personas["marketing"]
    people = make_people(org, 4, prefix="N")
    cheap = score(make_need(people[0], "Wifi en salle de réunion"), value=5, one_off=10)
    dear = score(make_need(people[1], "Nouvel ERP"), value=2, one_off=500)
    needs_services.vote_cast(person=people[2], need=cheap)
    needs_services.vote_cast(person=people[3], need=dear)
    campaign = make_campaign(lead, [cheap, dear], budget=100, name="Arbitrage du printemps")
    arbitration = arbitration_explain(arbitration_run(user=lead, campaign=campaign,
                                                      explain=False))
    decision_record(user=lead, campaign=campaign, arbitration=arbitration,
                    reason="Ce qui sert vite au plus grand nombre")
    decision_publish(user=lead, campaign=campaign)

    [action] = playbooks.propose()
    assert action.origin == f"you_said:{campaign.pk}:email"
    retained_fr, left_fr = action.body_fr.split("**Pas cette fois")
    assert "Wifi en salle de réunion" in retained_fr and "Nouvel ERP" in left_fr
    assert "Ce qui sert vite au plus grand nombre" in action.body_fr
    retained_en, left_en = action.body_en.split("**Not this time")
    assert "Wifi" in retained_en and "Nouvel ERP" in left_en
    # Why it was left out, in each language (the explanations are written per language).
    why_fr = left_fr.split("Nouvel ERP", 1)[1].split("\n", 1)[0]
    why_en = left_en.split("Nouvel ERP", 1)[1].split("\n", 1)[0]
    assert why_fr.startswith(" — ") and why_en.startswith(" — ") and why_fr != why_en
    assert audiences.members(action.audience.criteria) == sorted(p.pk for p in people)
    _checked_audiences()
    _nothing_sent()


# -- a barometer wave closes ----------------------------------------------------------------------

def _grid(**satisfaction: tuple[int, int]) -> dict:
    return {code: {"importance": importance, "satisfaction": value}
            for code, (importance, value) in satisfaction.items()}


@pytest.fixture
def wave(org):
    survey = make_barometer("barometre-dsi")
    closed = add_wave(survey, 1, TODAY - dt.timedelta(days=30))  # closes 10 days ago
    for i in range(12):
        answer(survey, closed, nps=[10, 9, 6][i % 3], unit="VEN",
               day=TODAY - dt.timedelta(days=25),
               grid=_grid(reactivite=(5, 2 + i % 2), competence=(4, 4), communication=(2, 3)))
    return closed


def test_a_closed_barometer_wave_proposes_its_results_and_three_commitments(wave, plan):
    [action] = playbooks.propose()
    assert action.origin == f"barometer:{wave.pk}:results"
    assert action.audience.criteria == {"wave": {"wave": wave.pk, "state": "invited"}}
    commitments = list(Objective.objects.filter(plan=plan).order_by("position"))
    assert len(commitments) == 3
    # What matters most where the department does least well comes first.
    assert commitments[0].params["option"] == "reactivite"
    assert action.objective == commitments[0]
    assert "Réactivité" in action.body_fr and "Responsiveness" in action.body_en
    for objective in commitments:
        assert objective.metric == Objective.Metric.SATISFACTION
        assert objective.source == f"barometer:{wave.pk}:{objective.params['option']}"
        live = objectives.live(objective)
        assert live.value is not None
        assert objective.baseline == Decimal(str(round(live.value, 2)))
        assert objective.target == min(objective.baseline + Decimal("0.3"), Decimal(5))
    reactivite = commitments[0]
    assert reactivite.baseline == Decimal("2.50")
    assert playbooks.propose() == []
    assert Objective.objects.count() == 3
    _checked_audiences()
    _nothing_sent()


# -- when nothing is proposed -------------------------------------------------------------------

def test_events_older_than_the_look_back_propose_nothing(org, personas, plan):
    teams = make_service("teams", lifecycle="design")
    service_change_lifecycle(user=personas["marketing"], service=teams, to="live")
    later = timezone.now() + dt.timedelta(days=playbooks.LOOKBACK_DAYS + 1)
    assert playbooks.propose(later) == []
    assert playbooks.propose() != []


def test_without_a_plan_covering_the_day_it_proposes_later_once_one_exists(org, personas):
    make_plan(personas["marketing"], starts_on=TODAY - dt.timedelta(days=400),
              ends_on=TODAY - dt.timedelta(days=40))
    teams = make_service("teams", lifecycle="design")
    service_change_lifecycle(user=personas["marketing"], service=teams, to="live")
    assert playbooks.propose() == []
    assert not Action.objects.exists()
    current = make_plan(personas["marketing"], name="Plan courant",
                        starts_on=TODAY - dt.timedelta(days=10),
                        ends_on=TODAY + dt.timedelta(days=80))
    created = playbooks.propose()
    assert len(created) == 3 and {a.plan for a in created} == {current}


def test_the_periodic_step_says_how_many_were_proposed(org, personas, plan):
    teams = make_service("teams", lifecycle="design")
    service_change_lifecycle(user=personas["marketing"], service=teams, to="live")
    assert playbooks.step(timezone.now()) == {"proposed": 3}
    assert playbooks.step(timezone.now()) == {"proposed": 0}
