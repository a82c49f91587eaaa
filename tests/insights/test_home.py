"""The insights home: an overview — headline figures linking to their pages, the latest
waves, the value cards that changed most, and every insights page; an owner's figures and
value cards."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from phare.insights import headlines
from phare.listening import services
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import rate


@pytest.fixture
def rated(personas):
    """"vpn" (the owner's): 5 happy tickets of 6 in March, 1 of 6 in April (a change of
    −133 points); "erp": 3 of 6 both months (no change)."""
    make_families()
    vpn = make_service("vpn", name_fr="Accès distant", name_en="Remote access", owner="E0003")
    vpn.annual_run_cost = Decimal("6000")
    vpn.save()
    erp = make_service("erp", name_fr="ERP finance", name_en="Finance ERP")
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(24):
        march = i % 2 == 0
        happy = (i in (0, 2, 4, 6, 8, 1)) if i < 12 else i % 4 < 2
        rate(survey, None, i, rating=10 if happy else 1, lost="1_4h",
             day=dt.date(2026, 3, 3) if march else dt.date(2026, 4, 3))
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12)]).update(service=vpn)
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12, 24)]).update(
        service=erp)
    return vpn, erp


def section(html: str, title_id: str) -> str:
    start = html.index(f'id="{title_id}"')
    return html[start:html.index("</section>", start)]


def test_the_home_gives_the_headline_figures_each_linking_to_its_page(login, personas, two_waves,
                                                                      rated, english):
    survey, *_ = two_waves
    html = login("executive").get("/insights/").content.decode()
    figures = section(html, "overview-figures-title")
    assert f'href="/insights/barometer/{survey.slug}/"' in figures
    assert 'href="/insights/tickets/"' in figures
    # The barometer's NPS with its interval and its change since the wave before.
    nps = headlines.barometer_nps(personas["executive"])
    assert nps is not None and nps.interval and nps.interval in " ".join(figures.split())
    assert "since the previous period" in figures


def test_the_home_lists_the_latest_waves_and_the_cards_that_changed_most(login, two_waves,
                                                                         rated, english):
    survey, _first, second = two_waves
    html = login("marketing").get("/insights/").content.decode()
    waves = section(html, "overview-waves-title")
    assert f'/insights/barometer/{survey.slug}/' in waves and second.name in waves
    assert waves.index(second.name) < waves.index("Vague 1")  # the latest first
    changed = section(html, "overview-changed-title")
    # The largest change first (−133 points); a change of 0 is a change too.
    assert re.findall(r'/insights/services/([a-z]+)/card/', changed) == ["vpn", "erp"]
    assert "−133" in changed and 'href="/insights/cards/"' in changed


def test_the_home_links_to_every_insights_page(login, two_waves, english):
    html = login("marketing").get("/insights/").content.decode()
    pages = section(html, "overview-pages-title")
    for url in ("/insights/tickets/", "/insights/cards/", "/insights/perception/",
                "/insights/verbatims/", f"/insights/barometer/{two_waves[0].slug}/"):
        assert f'href="{url}"' in pages


def test_an_owner_s_home_links_to_their_value_cards_and_gives_their_figures(login, rated,
                                                                          english):
    html = login("owner").get("/insights/").content.decode()
    cards = section(html, "overview-cards-title")
    assert re.findall(r'/insights/services/([a-z]+)/card/', cards) == ["vpn"]
    assert "/insights/barometer/" not in html and "/insights/verbatims/" not in html
    figures = section(html, "overview-figures-title")
    assert "Ticket" in figures and "n = 12" in figures  # their own tickets only
    assert "overview-changed-title" not in html


def test_the_home_speaks_french(login, rated):
    html = login("marketing").get("/insights/").content.decode()
    assert "Expérience des tickets" in html and "Analyses" in html
