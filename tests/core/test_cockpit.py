"""The cockpit: each role's home shows its blocks with real data, to-do items come and go
with their condition, and no figure of a small group leaks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from phare.catalog.models import Service
from phare.comms.models import Action
from phare.core.cockpit import Headline, cockpit_for
from phare.core.cockpit.people import popular_services, recent_tickets
from phare.listening import services as listening_services
from phare.listening.models import Invitation, Survey, Wave
from phare.needs.models import Campaign, Need
from phare.needs.services.needs import vote_cast
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_action, make_people, make_plan
from tests.insights.factories import add_wave, answer, rate
from tests.listening.factories import make_barometer
from tests.needs.factories import make_campaign, make_need

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


@pytest.fixture
def catalogue(personas):
    make_families()
    vpn = make_service("vpn", name_fr="VPN", name_en="VPN", promise_fr="Travailler dehors",
                       promise_en="Work from anywhere")
    mail = make_service("mail", name_fr="Messagerie", name_en="Email")
    Service.objects.filter(pk=vpn.pk).update(owner=personas["owner"].person,
                                             annual_run_cost=Decimal("250000"))
    Service.objects.filter(pk=mail.pk).update(annual_run_cost=Decimal("90000"))
    return {"vpn": Service.objects.get(pk=vpn.pk), "mail": Service.objects.get(pk=mail.pk)}


def _home(login, persona):
    client = login(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def _todo(user):
    with translation.override("en"):
        return [item.text for item in cockpit_for(user, language="en").todo]


# --- marketing lead -----------------------------------------------------------------------------

def test_the_marketing_home_shows_the_barometer_nps_with_interval_and_change(login, personas):
    survey = make_barometer(created_by=personas["marketing"])
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for i in range(12):
        answer(survey, first, nps=[10, 9, 7, 3][i % 4], day=dt.date(2025, 1, 8))
    for i in range(10):
        answer(survey, second, nps=[10, 9, 9, 8, 2][i % 5], day=dt.date(2025, 7, 9))
    with translation.override("en"):
        cockpit = cockpit_for(personas["marketing"], language="en")
    nps = next(h for h in cockpit.headlines if h.label == "Barometer NPS")
    # Wave 2: 6 promoters, 2 passives, 2 detractors of 10 → +40; wave 1: 6, 3, 3 of 12 → +25.
    assert nps.value == pytest.approx(40.0)
    assert nps.n == 10
    assert nps.change == pytest.approx(15.0)
    assert nps.low is not None and nps.low < 40 < nps.high
    page = _home(login, "marketing")
    assert "Barometer NPS" in page and "+40" in page
    assert "95 % interval" in page and "n = 10" in page
    assert reverse("insights:barometer", args=[survey.slug]) in page


def test_a_barometer_of_four_answers_says_too_few_answers_and_no_count(login, personas):
    survey = make_barometer(created_by=personas["marketing"])
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    for score in (10, 9, 2, 8):
        answer(survey, wave, nps=score, day=dt.date(2025, 1, 8))
    page = _home(login, "marketing")
    assert "Barometer NPS" in page
    assert "too few answers" in page
    assert "n = 4" not in page and "n = " not in page


def test_the_marketing_home_without_data_degrades_to_plain_sentences(login, personas):
    page = _home(login, "marketing")
    assert "Headline figures" in page
    assert "No figures yet" in page
    assert "Nothing waits for you right now." in page


def test_a_service_in_review_is_a_todo_until_it_is_published(personas, catalogue):
    Service.objects.filter(pk=catalogue["mail"].pk).update(publication="review")
    assert any("Review “Email”" in text for text in _todo(personas["marketing"]))
    Service.objects.filter(pk=catalogue["mail"].pk).update(publication="published")
    assert not any("Review" in text for text in _todo(personas["marketing"]))


def test_new_needs_are_to_qualify_until_qualified(personas):
    need = make_need(personas["employee"].person, "Un second écran")
    assert "1 new need to qualify." in _todo(personas["marketing"])
    Need.objects.filter(pk=need.pk).update(status=Need.Status.QUALIFIED)
    assert not any("to qualify" in text for text in _todo(personas["marketing"]))


def test_a_planned_wave_due_to_open_is_to_launch(personas):
    survey = make_barometer(created_by=personas["marketing"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    wave = listening_services.wave_create(survey, name="Automne", opens_on=TODAY,
                                          closes_on=TODAY + dt.timedelta(days=20))
    todo = _todo(personas["marketing"])
    assert any(text.startswith("Launch Automne") for text in todo)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.OPEN)
    assert not any(text.startswith("Launch") for text in _todo(personas["marketing"]))


def test_an_open_wave_answering_little_is_flagged(personas, org):
    survey = make_barometer(created_by=personas["marketing"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    wave = Wave.objects.create(survey=survey, version=survey.current_version(), number=1,
                               name="Hiver", opens_on=TODAY - dt.timedelta(days=10),
                               closes_on=TODAY + dt.timedelta(days=10), status="open")
    people = make_people(org, 20)
    now = timezone.now()
    for i, person in enumerate(people):
        Invitation.objects.create(survey=survey, version=survey.current_version(), wave=wave,
                                  person=person, email=person.email, sent_at=now,
                                  responded_on=TODAY if i < 2 else None)
    assert any("Hiver" in text and "low response rate (10 %)" in text
               for text in _todo(personas["marketing"]))
    Invitation.objects.filter(pk__in=[i.pk for i in Invitation.objects.filter(wave=wave)[:12]]
                              ).update(responded_on=TODAY)
    assert not any("Hiver" in text for text in _todo(personas["marketing"]))


def test_a_decided_campaign_is_to_publish_and_a_new_one_to_run(personas):
    need = make_need(personas["employee"].person, "Un outil de signature")
    campaign = make_campaign(personas["marketing"], [need], name="Arbitrage 2027")
    assert "Run the arbitration of “Arbitrage 2027”." in _todo(personas["marketing"])
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DECIDED)
    assert ("Publish the decision of “Arbitrage 2027” to the people who asked."
            in _todo(personas["marketing"]))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PUBLISHED)
    assert not any("Arbitrage 2027" in text for text in _todo(personas["marketing"]))


def test_recent_activity_lists_new_needs(login, personas):
    make_need(personas["employee"].person, "Des salles mieux équipées")
    page = _home(login, "marketing")
    assert "Recent activity" in page
    assert "New need: “Des salles mieux équipées”" in page


# --- CIO ----------------------------------------------------------------------------------------

def test_the_cio_sees_company_wide_messages_to_approve_and_the_costliest_cards(
        login, personas, catalogue):
    plan = make_plan(personas["marketing"], starts_on=TODAY - dt.timedelta(days=30),
                     ends_on=TODAY + dt.timedelta(days=300))
    action = make_action(plan, "Nouvelle messagerie pour tous", everyone=True,
                         status=Action.Status.READY)
    page = _home(login, "executive")
    assert "Decisions waiting for your approval" in page
    # The title, written in French, is marked for the English reader.
    approve = ('Approve “<span lang="fr">Nouvelle messagerie pour tous</span> '
               '<span class="lang-fallback muted">(in French)</span>”')
    assert approve in page
    assert reverse("comms:action", args=[action.pk]) in page
    assert page.index("VPN") < page.index("Email")  # the costliest first
    assert reverse("insights:value_card", args=["vpn"]) in page
    Action.objects.filter(pk=action.pk).update(status=Action.Status.APPROVED)
    assert "Nouvelle messagerie pour tous" not in _home(login, "executive")


def test_a_message_to_a_group_is_not_the_cios_decision(login, personas, catalogue):
    plan = make_plan(personas["marketing"])
    make_action(plan, "Lettre aux ventes", status=Action.Status.READY)
    page = _home(login, "executive")
    assert "Lettre aux ventes" not in page
    assert "No decision waits for you." in page


# --- service owner ------------------------------------------------------------------------------

def test_the_owner_sees_their_services_cards_pending_edits_and_needs(login, personas,
                                                                      catalogue):
    Service.objects.filter(pk=catalogue["vpn"].pk).update(pending={"name_en": "VPN+"},
                                                          pending_submitted=False)
    need = make_need(personas["employee"].person, "Un VPN plus rapide")
    need.services.add(catalogue["vpn"])
    page = _home(login, "owner")
    assert "Your services" in page
    assert reverse("insights:value_card", args=["vpn"]) in page
    assert "changes to submit" in page
    assert "Needs about your services" in page and "Un VPN plus rapide" in page
    # Not their service: no card link.
    assert reverse("insights:value_card", args=["mail"]) not in page


# --- employee -----------------------------------------------------------------------------------

def test_the_employee_home_is_the_portal_with_their_needs_votes_and_surveys(
        login, personas, catalogue):
    employee = personas["employee"].person
    make_need(employee, "Un écran de plus")
    other = make_need(personas["owner"].person, "Des casques")
    vote_cast(need=other, person=employee)
    survey = make_barometer(created_by=personas["marketing"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    wave = Wave.objects.create(survey=survey, version=survey.current_version(), number=1,
                               name="Hiver", opens_on=TODAY, status="open",
                               closes_on=TODAY + dt.timedelta(days=10))
    invitation = Invitation.objects.create(survey=survey, version=survey.current_version(),
                                           wave=wave, person=employee, email=employee.email)
    page = _home(login, "employee")
    assert page.index('role="search"') < page.index("Popular services")
    assert "VPN" in page and "Work from anywhere" in page
    assert "Un écran de plus" in page and "Des casques" in page and "your vote" in page
    assert "Surveys waiting for your answer" in page
    assert reverse("answer:respond", kwargs={"token": invitation.token}) in page
    assert "Headline figures" not in page and "What needs attention" not in page
    Invitation.objects.filter(pk=invitation.pk).update(responded_on=TODAY)
    assert "Surveys waiting for your answer" not in _home(login, "employee")


def _tickets(service, count, *, days_ago=10):
    opened = timezone.now() - dt.timedelta(days=days_ago)
    for n in range(count):
        Ticket.objects.create(external_id=f"{service.slug}-{days_ago}-{n}", service=service,
                              opened_at=opened, resolved_at=opened + dt.timedelta(hours=2))


def test_popular_services_come_by_their_recent_tickets_counted_once_for_everyone(
        personas, catalogue):
    payroll = make_service("payroll", name_fr="Paie", name_en="Payroll")
    employee = personas["employee"].person
    _tickets(catalogue["mail"], 3)
    _tickets(catalogue["vpn"], 2)
    _tickets(catalogue["vpn"], 5, days_ago=400)  # outside the window: not counted
    assert popular_services(employee, today=TODAY) == [catalogue["mail"], catalogue["vpn"],
                                                         payroll]  # then by name
    assert recent_tickets(TODAY) == {catalogue["mail"].pk: 3, catalogue["vpn"].pk: 2}
    # The ranking is counted once: another reader's home reads it back with the services.
    _tickets(payroll, 9)
    with CaptureQueriesContext(connection) as queries:
        again = popular_services(personas["owner"].person, today=TODAY)
    assert not [q for q in queries.captured_queries if "tickets_ticket" in q["sql"]]
    assert again[:2] == [catalogue["mail"], catalogue["vpn"]]
    # Kept for POPULAR_SECONDS (an order only, no count shown); counted again after.
    caches["insights"].delete(f"cockpit:popular:{TODAY.isoformat()}")
    assert popular_services(employee, today=TODAY)[0] == payroll


def test_the_admin_home_keeps_the_directory_and_adds_reviews(login, personas, catalogue):
    page = _home(login, "admin")
    assert "Directory of the organisation" in page
    assert "What needs attention" not in page
    Service.objects.filter(pk=catalogue["mail"].pk).update(publication="review")
    page = _home(login, "admin")
    assert "What needs attention" in page and "Review “Email”" in page


# --- tickets ------------------------------------------------------------------------------------

def _ticket_survey():
    survey = ticket_survey_create()
    listening_services.survey_set_status(survey, Survey.Status.OPEN)
    return survey


def test_ticket_happiness_and_lost_time_are_those_of_the_ticket_page(personas):
    survey = _ticket_survey()
    for i in range(20):
        rate(survey, None, i, rating=9 + i % 2, lost="none")
    for i in range(20, 30):
        rate(survey, None, i, rating=3, lost="day")
    with translation.override("en"):
        figures = {h.label: h for h in cockpit_for(personas["marketing"], language="en").headlines}
    happiness = figures["Ticket happiness"]
    assert happiness.value == pytest.approx(100 * (20 - 10) / 30)
    assert happiness.n == 30 and happiness.low < happiness.value < happiness.high
    assert figures["Lost time per ticket"].value == pytest.approx(10 * 7.5 / 30)
    assert figures["Lost time per ticket"].kind == "hours"


def test_ticket_figures_of_three_people_say_too_few_answers(login, personas):
    survey = _ticket_survey()
    for i in range(3):
        rate(survey, None, i, rating=10, lost="none")
    with translation.override("en"):
        figures = {h.label: h for h in cockpit_for(personas["marketing"], language="en").headlines}
    assert figures["Ticket happiness"].hidden and figures["Ticket happiness"].value is None
    assert figures["Ticket happiness"].n is None
    page = _home(login, "marketing")
    assert "Ticket happiness" in page and "too few answers" in page and "n = 3" not in page


def test_an_owner_without_a_service_gets_no_ticket_figure(personas):
    survey = _ticket_survey()
    for i in range(12):
        rate(survey, None, i, rating=10, lost="none")
    assert cockpit_for(personas["owner"], language="en").headlines == []


def test_headline_numbers_follow_the_readers_locale():
    figure = Headline(label="x", url="/", value=-12.4, low=-20.0, high=-4.6, change=3.2)
    hours = Headline(label="y", url="/", value=2.25, kind="hours")
    share = Headline(label="z", url="/", value=1234.0, kind="percent")
    with translation.override("fr"):
        assert figure.shown == "−12" and figure.change_shown == "+3"
        assert hours.shown == "2,2\u00a0h" or hours.shown == "2,3\u00a0h"
        assert figure.direction == "up"
    with translation.override("en"):
        assert hours.shown in ("2.2\u00a0h", "2.3\u00a0h")
        assert share.shown.endswith("\u202f%")
        assert "−20 to −5" in figure.interval


# --- prepared by the worker ---------------------------------------------------------------------

def test_the_worker_prepares_the_homes_of_the_readers_of_everything(login, personas,
                                                                     monkeypatch):
    from phare.core.cockpit import prepare
    from phare.insights import dashboards
    from phare.lib import periodic

    assert periodic.steps()["core.cockpit"] is prepare.periodic_step
    survey = make_barometer(created_by=personas["marketing"])
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    for i in range(10):
        answer(survey, wave, nps=[10, 9, 9, 8, 2][i % 5], day=dt.date(2025, 1, 8))
    caches["insights"].clear()
    assert prepare.periodic_step(timezone.now()) == {"marketing": 2, "executive": 2}

    def computed_again(*args, **kwargs):
        raise AssertionError("the barometer was computed by a page")

    # The homes read what the worker computed, in either language, for anyone of the role.
    monkeypatch.setattr(dashboards, "compute_barometer", computed_again)
    assert "+40" in _home(login, "marketing")
    assert "+40" in _home(login, "executive")
    # Without the step, the first view computes it (what the test above would catch).
    caches["insights"].clear()
    with pytest.raises(AssertionError, match="computed by a page"):
        _home(login, "marketing")


def test_nothing_is_prepared_when_the_dashboards_cache_is_off(personas, settings):
    from phare.core.cockpit import prepare

    settings.PHARE_INSIGHTS_CACHE_SECONDS = 0
    assert prepare.periodic_step(timezone.now()) == {}
