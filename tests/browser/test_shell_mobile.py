"""On a phone (390 × 844) and at 320 px (WCAG reflow), each persona's pages fit the screen's
width, and the main menu is folded behind its "Menu" button, opened by a click or the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from phare.listening import services
from phare.listening.models import Invitation, Survey
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
MENU = {"fr": ("Menu", "Navigation principale"), "en": ("Menu", "Main navigation")}


@pytest.fixture
def world(personas, settings, tmp_path) -> dict[str, str]:
    """A catalogue service, an open barometer with answers, and the employee's invitation."""
    from phare.catalog.search import index_service

    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    make_families()
    service = make_service(
        "teletravail", name_fr="Télétravail en toute sécurité",
        name_en="Working from home securely", family="remote",
        promise_fr="Travailler de chez soi comme au bureau",
        promise_en="Work from home as if you were at the office", owner="E0003",
        commitments=[{"text_fr": "Accès ouvert en 1 jour ouvré", "target": "95",
                      "unit": "percent"}])
    index_service(service)
    survey = make_barometer(created_by=personas["marketing"])
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    for i in range(30):
        nps = [2, 5, 8, 9, 10][i % 5]
        grid = {code: {"importance": 1 + (i * k) % 5, "satisfaction": max(1, min(5, nps // 2))}
                for k, code in ((1, "reactivite"), (2, "competence"), (3, "communication"))}
        answer(survey, wave, nps=nps, unit=["VEN", "DSI", "DG"][i % 3], grid=grid,
               comment="Le VPN coupe sans arrêt en télétravail",
               day=dt.date(2025, 1, 8))
    services.survey_set_status(survey, Survey.Status.OPEN)
    person = personas["employee"].person
    invitation = Invitation.objects.create(survey=survey, version=survey.current_version(),
                                           person=person, email=person.email, language="fr",
                                           **services.segment_of(person))
    return {"survey": survey.slug, "service": service.slug, "token": invitation.token}


@pytest.fixture(autouse=True)
def _patient(page):
    # A test server's first cockpit takes a few seconds, more when other tests share the CPU.
    page.set_default_timeout(30_000)


# The innermost elements that stick out on the right, to say what overflows.
WIDER = """() => [...document.querySelectorAll("body *")]
  .filter((node) => node.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter((node, i, all) => !all.some((other) => other !== node && node.contains(other)))
  .slice(0, 8).map((node) => node.tagName.toLowerCase() + "." + node.className + " "
                   + Math.round(node.getBoundingClientRect().right))"""


def fits(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (
        f"{page.url} is {widths[0]} px wide on a {widths[1]} px screen: {page.evaluate(WIDER)}")


def check_menu(page, language: str) -> None:
    """Folded by default; a click opens it, Escape folds it back, Enter opens it again."""
    name, nav_name = MENU[language]
    toggle = page.get_by_role("button", name=name, exact=True)
    nav = page.get_by_role("navigation", name=nav_name)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    # Folded, the bar is one line: the brand and the button.
    assert page.locator("header.topbar").bounding_box()["height"] < 80
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.locator(".topbar .language")).to_be_visible()
    fits(page)
    # The first entry follows the button in the focus order.
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(nav).to_be_hidden()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    page.keyboard.press("Enter")
    expect(nav).to_be_hidden()


def visit(page, shot, url: str, name: str, language: str, size: dict[str, int]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    if page.locator("[data-vega-spec]").count():
        page.wait_for_selector("[data-vega-spec] svg")
    fits(page)
    shot(f"mobile-{name}-{language}-{size['width']}")


@pytest.mark.parametrize("size", [PHONE, NARROW], ids=["390", "320"])
def test_an_employees_pages_fit_a_phone_and_the_menu_folds(page, sign_in, shot, world, size):
    page.set_viewport_size(size)
    sign_in("employee")
    for language in ("fr", "en"):
        if language == "en":
            page.get_by_role("button", name="Menu", exact=True).click()
            page.get_by_role("button", name="EN", exact=True).click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        for url, name in (("/", "home-employee"), ("/catalogue/", "portal-employee"),
                          (f"/catalogue/{world['service']}/", "service-employee")):
            visit(page, shot, url, name, language, size)
            check_menu(page, language)
        # No API tokens in an employee's menu.
        page.get_by_role("button", name="Menu", exact=True).click()
        expect(page.locator("#site-menu a[href='/accounts/tokens/']")).to_have_count(0)
        shot(f"mobile-menu-open-employee-{language}-{size['width']}")
        page.get_by_role("button", name="Menu", exact=True).click()
    # The survey an employee is invited to (a page without the signed-in shell).
    visit(page, shot, f"/s/{world['token']}/", "survey-respond", "fr", size)


@pytest.mark.parametrize("size", [PHONE, NARROW], ids=["390", "320"])
def test_the_marketing_leads_pages_fit_a_phone_and_the_menu_folds(page, sign_in, shot, world,
                                                                  size):
    page.set_viewport_size(size)
    sign_in("marketing")
    for language in ("fr", "en"):
        if language == "en":
            page.get_by_role("button", name="Menu", exact=True).click()
            page.get_by_role("button", name="EN", exact=True).click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        for url, name in (("/", "home-marketing"),
                          (f"/insights/barometer/{world['survey']}/", "barometer-marketing"),
                          (f"/surveys/{world['survey']}/", "survey-marketing"),
                          (f"/catalogue/{world['service']}/", "service-marketing")):
            visit(page, shot, url, name, language, size)
        check_menu(page, language)
        page.get_by_role("button", name="Menu", exact=True).click()
        expect(page.locator("#site-menu a[href='/accounts/tokens/']")).to_have_count(1)
        shot(f"mobile-menu-open-marketing-{language}-{size['width']}")
        page.get_by_role("button", name="Menu", exact=True).click()


def test_on_a_desktop_the_menu_is_in_the_bar_with_no_button(page, sign_in, shot, world):
    page.set_viewport_size({"width": 1366, "height": 860})
    sign_in("marketing")
    expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav).to_be_visible()
    # The menu's box vanishes: the entries and account links sit in the bar as before.
    assert page.locator("#site-menu").evaluate("node => getComputedStyle(node).display") \
        == "contents"
    expect(page.locator(".topbar .language")).to_be_visible()
    page.goto(f"/insights/barometer/{world['survey']}/")
    fits(page)
    shot("desktop-barometer-marketing-fr")
