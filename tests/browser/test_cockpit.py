"""Each role's home (the cockpit), in French and English, on desktop and phone: its blocks
show, nothing overflows a phone's width, and screenshots are kept to look at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from phare.catalog.models import Service
from phare.comms.models import Action
from phare.listening.models import Invitation, Survey, Wave
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_action, make_plan
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer
from tests.needs.factories import make_campaign, make_need

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def scene(personas, settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    today = timezone.localdate()
    make_families()
    vpn = make_service("vpn", name_fr="Accès à distance (VPN)", name_en="Remote access (VPN)",
                       promise_fr="Travailler hors du bureau comme au bureau",
                       promise_en="Work away from the office as in it")
    make_service("mail", name_fr="Messagerie", name_en="Email",
                 promise_fr="Écrire à tous", promise_en="Write to anyone")
    review = make_service("wifi", name_fr="Wi-Fi invités", name_en="Guest Wi-Fi",
                          publication="review")
    Service.objects.filter(pk=vpn.pk).update(owner=personas["owner"].person,
                                             annual_run_cost=Decimal("250000"),
                                             pending={"name_en": "VPN"})
    Service.objects.filter(pk=review.pk).update(annual_run_cost=Decimal("40000"))
    survey = make_barometer(created_by=personas["marketing"])
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for i in range(12):
        answer(survey, first, nps=[10, 9, 7, 3][i % 4], day=dt.date(2025, 1, 8))
    for i in range(10):
        answer(survey, second, nps=[10, 9, 9, 8, 2][i % 5], day=dt.date(2025, 7, 9))
    employee = personas["employee"].person
    need = make_need(employee, "Un VPN plus rapide le matin")
    need.services.add(vpn)
    make_campaign(personas["marketing"], [need], name="Arbitrage 2027")
    plan = make_plan(personas["marketing"], starts_on=today - dt.timedelta(days=30),
                     ends_on=today + dt.timedelta(days=300))
    make_action(plan, "Nouvelle messagerie pour tous", everyone=True,
                status=Action.Status.READY)
    pulse = make_barometer("pouls", created_by=personas["marketing"])
    Survey.objects.filter(pk=pulse.pk).update(status=Survey.Status.OPEN)
    wave = Wave.objects.create(survey=pulse, version=pulse.current_version(), number=1,
                               name="Hiver", opens_on=today, status="open",
                               closes_on=today + dt.timedelta(days=10))
    Invitation.objects.create(survey=pulse, version=pulse.current_version(), wave=wave,
                              person=employee, email=employee.email)
    return survey


@pytest.fixture(autouse=True)
def _patient(page):
    # The first visit of a home computes the dashboards it reads: give it time on a busy machine.
    page.set_default_timeout(40_000)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width} px wide on a phone"


@pytest.mark.parametrize(("persona", "fr", "en"), [
    ("marketing", "Ce qui demande votre attention", "What needs attention"),
    ("executive", "Décisions en attente de votre accord", "Decisions waiting for your approval"),
    ("owner", "Vos services", "Your services"),
    ("employee", "Services les plus demandés", "Popular services"),
    ("admin", "Ce qui demande votre attention", "What needs attention"),
])
def test_each_roles_home_in_both_languages_on_desktop_and_phone(page, sign_in, shot, scene,
                                                                 persona, fr, en):
    page.set_viewport_size(DESKTOP)
    sign_in(persona)
    heading = page.get_by_role("heading", level=2, name=fr, exact=True)
    if heading.count() == 0:  # the French text may still wait for the lead's translation
        heading = page.get_by_role("heading", level=2, name=en, exact=True)
    expect(heading).to_be_visible()
    shot(f"cockpit-{persona}-fr-desktop")
    page.set_viewport_size(PHONE)
    _fits(page)
    shot(f"cockpit-{persona}-fr-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name=en, exact=True)).to_be_visible()
    shot(f"cockpit-{persona}-en-desktop")
    page.set_viewport_size(PHONE)
    _fits(page)
    shot(f"cockpit-{persona}-en-phone")


def test_the_marketing_lead_reads_the_nps_and_opens_its_page(page, sign_in, scene):
    sign_in("marketing")
    page.get_by_role("button", name="EN").click()
    figure = page.locator(".headline").filter(has_text="Barometer NPS")
    expect(figure.locator(".headline-value")).to_have_text("+40")
    expect(figure).to_contain_text("n = 10")
    figure.get_by_role("link", name="Barometer NPS").click()
    page.wait_for_url(f"**/insights/barometer/{scene.slug}/")


def test_the_employee_searches_from_the_home(page, sign_in, scene):
    sign_in("employee")
    page.get_by_role("button", name="EN").click()
    page.get_by_label("Find an IT service").fill("VPN")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/**")
