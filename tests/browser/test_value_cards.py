"""The CIO opens the list of value cards, sorts it by cost, opens one card on its own page and
reads its trend — on a desktop and on a phone, in French and in English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide on {widths[1]} px"


@pytest.fixture
def rated_services(personas, settings, tmp_path):
    from phare.listening import services
    from phare.tickets.models import Ticket
    from phare.tickets.services import ticket_survey_create
    from tests.catalog.factories import make_families, make_service
    from tests.insights.factories import rate

    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    make_families()
    found = {}
    for slug, fr, en, cost in (("teletravail", "Télétravail en toute sécurité",
                                "Working securely from home", "12000"),
                               ("erp", "ERP finance", "Finance ERP", "90000"),
                               ("wiki", "Wiki d’entreprise", "Company wiki", "3000")):
        service = make_service(slug, name_fr=fr, name_en=en, family="remote")
        service.annual_run_cost = Decimal(cost)
        service.save()
        found[slug] = service
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(30):
        month = (i % 3) + 2  # February, March, April
        rate(survey, None, i, rating=[10, 9, 6, 10, 3][i % 5], lost="1_4h",
             day=dt.date(2026, month, 5))
    Ticket.objects.update(service=found["teletravail"])
    return found


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_cio_sorts_the_cards_by_cost_and_reads_one_card_s_trend(page, sign_in, shot,
                                                                    rated_services, live_server,
                                                                    settings, size):
    page.set_viewport_size(size)
    sign_in("executive")
    for language in ("fr", "en"):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                   "url": live_server.url}])
        page.goto("/insights/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        fits(page)
        shot(f"insights-home-{language}-{size['width']}")
        page.locator("#overview-pages-title + ul a[href='/insights/cards/']").click()
        page.wait_for_selector("#value-cards")
        rows = page.locator("#value-cards tbody tr")
        expect(rows).to_have_count(3)
        # The costliest first; the column's link turns the order round.
        expect(rows.first).to_have_attribute("data-service", "erp")
        if size is DESKTOP:  # the column's header link
            page.locator("th[data-column='cost'] a").click()
        else:  # on a phone the figures are cards under their names: the form sorts them
            page.locator(".card-sort select[name='sort']").select_option("cost")
            page.locator(".card-sort button[type='submit']").click()
        page.wait_for_url("**sort=cost")
        expect(page.locator("#value-cards tbody tr").first).to_have_attribute(
            "data-service", "wiki")
        expect(page.locator("th[data-column='cost']")).to_have_attribute("aria-sort",
                                                                         "ascending")
        fits(page)
        shot(f"insights-cards-{language}-{size['width']}")
        page.locator("tr[data-service='teletravail'] th a").click()
        page.wait_for_selector("#chart-service-ticket-trend svg")
        assert "n = 30" in page.locator("#chart-service-ticket-trend .chart-n").inner_text()
        expect(page.locator("nav.breadcrumbs a[href='/insights/cards/']")).to_be_visible()
        fits(page)
        shot(f"insights-value-card-page-{language}-{size['width']}")
