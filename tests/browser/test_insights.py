"""The marketing lead reads the barometer: indices with intervals, charts drawn, filters."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db(transaction=True)

COMMENTS = ["Le VPN coupe sans arrêt en télétravail", "VPN instable, je perds ma connexion",
            "Délais de résolution beaucoup trop longs", "J'ai dû répéter mon problème trois fois",
            "Technicien très sympathique et efficace", "Réinitialisation du mot de passe rapide"]


def test_the_marketing_lead_reads_the_barometer(page, sign_in, shot, personas, settings,
                                                tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    survey = make_barometer()
    for number, opens in ((1, dt.date(2025, 1, 6)), (2, dt.date(2025, 7, 7))):
        wave = add_wave(survey, number, opens)
        for i in range(40):
            nps = [2, 5, 8, 9, 10][(i + number) % 5] if number == 1 else [6, 8, 9, 10, 10][i % 5]
            unit = ["VEN", "DSI", "DG"][i % 3]
            grid = {code: {"importance": 1 + (i * k) % 5, "satisfaction": max(1, min(5, nps // 2))}
                    for k, code in ((1, "reactivite"), (2, "competence"), (3, "communication"))}
            answer(survey, wave, nps=nps, unit=unit, grid=grid, comment=COMMENTS[i % 6],
                   day=opens + dt.timedelta(days=2))
    sign_in("marketing")
    page.get_by_role("navigation").get_by_role("link", name="Analyses").click()
    # The overview links to it from its figures, waves and pages: the list of pages.
    page.locator("#overview-pages-title + ul").get_by_role(
        "link", name="Baromètre de satisfaction IT").click()
    page.wait_for_selector("#chart-nps-trend svg")
    page.wait_for_selector("#chart-importance-performance svg")
    assert page.locator("#chart-nps-trend .chart-n").inner_text() == "n = 80"
    # The reader is told how current the figures are.
    assert page.locator(".as-of").inner_text().startswith("Données à jour au ")
    shot("insights-barometer")
    unit = page.get_by_role("combobox", name="Entité", exact=True)  # a searchable picker
    unit.fill("vent")
    page.locator("#id_unit-options").get_by_role("option", name="Ventes").click()
    page.wait_for_selector("#chart-nps-trend .chart-n:has-text('n = 28')")
    page.wait_for_selector("#chart-nps-trend svg")
    assert page.locator(".as-of").count() == 1  # the filtered figures say it once too
    shot("insights-barometer-filtered")


TICKET_COMMENTS = {"low": ["Résolution beaucoup trop lente", "J'ai dû répéter mon problème",
                           "Ticket transféré trois fois, toujours pas résolu"],
                   "high": ["Technicien très sympathique", "Réglé en dix minutes, merci",
                            "Réponse rapide et claire"]}


def test_the_cio_reads_the_ticket_experience_the_value_card_and_the_comments(
        page, sign_in, shot, personas, settings, tmp_path):
    from decimal import Decimal

    from phare.catalog.models import Service
    from phare.catalog.search import index_service
    from phare.listening import services
    from phare.tickets.models import Ticket
    from phare.tickets.services import ticket_survey_create
    from tests.catalog.factories import make_families, make_service
    from tests.insights.factories import rate

    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    make_families()
    vpn = make_service("teletravail", name_fr="Télétravail en toute sécurité", family="remote",
                       owner="E0003")
    vpn.annual_run_cost = Decimal("12000")
    vpn.save()
    index_service(vpn)
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(36):
        reassigned = i % 3 == 0
        response = rate(survey, None, i, rating=3 if reassigned else 9 + i % 2,
                        lost="day" if reassigned else "none",
                        reasons=["slow", "repeat"] if reassigned else ["fast", "friendly"],
                        reassignments=2 if reassigned else 0,
                        channel="phone" if i % 2 else "portal")
        band = "low" if reassigned else "high"
        response.answers["comment"] = TICKET_COMMENTS[band][i % 3]
        response.save()
    Ticket.objects.update(service=Service.objects.get(slug="teletravail"))

    sign_in("executive")
    page.get_by_role("navigation").get_by_role("link", name="Analyses").click()
    page.get_by_role("link", name="Expérience des tickets").click()
    page.wait_for_selector("#chart-reassignments svg")
    page.wait_for_selector("#chart-pareto svg")
    assert "n = 36" in page.locator("#chart-happiness-month").inner_text()
    shot("insights-tickets")
    page.get_by_role("combobox", name="Canal").select_option("phone")
    page.wait_for_selector("#chart-happiness-month .chart-n:has-text('n = 18')")

    page.goto("/catalogue/teletravail/")
    page.wait_for_selector("#value-title")
    card = page.locator(".value-card")
    assert "n = 36" in card.inner_text()
    shot("insights-value-card")
    # 12,000 € a year ÷ the 41 people it is for: the 5 personas and the 36 requesters
    assert "293€" in "".join(card.inner_text().split()).replace("\u202f", "")
    shot("insights-value-card")

    page.goto("/insights/verbatims/")
    page.get_by_role("searchbox", name="Mots").fill("lente")
    page.wait_for_selector("#explorer p:has-text('12 commentaires')")
    assert page.locator(".verbatim-list blockquote").count() == 12
    shot("insights-verbatims")
