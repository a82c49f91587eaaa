"""The marketing lead reads the barometer: indices with intervals, charts drawn, filters."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.insights.conftest import add_wave, answer
from tests.listening.conftest import make_barometer

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
    page.get_by_role("link", name="Baromètre de satisfaction IT").click()
    page.wait_for_selector("#chart-nps-trend svg")
    page.wait_for_selector("#chart-importance-performance svg")
    assert page.locator("#chart-nps-trend .chart-n").inner_text() == "n = 80"
    shot("insights-barometer")
    page.get_by_role("combobox", name="Entité").select_option("VEN")
    page.wait_for_selector("#chart-nps-trend .chart-n:has-text('n = 28')")
    page.wait_for_selector("#chart-nps-trend svg")
    shot("insights-barometer-filtered")
