"""The cockpit's significant changes: a segment whose NPS dropped between the last two closed
waves, a theme growing among detractors — each only when significant (Holm), and never about
a group its page hides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from phare.core.cockpit import changes, cockpit_for, todo
from phare.insights import access
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

TODAY = dt.date(2026, 4, 15)


@pytest.fixture(autouse=True)
def _own_store(settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"


def _todo(user):
    with translation.override("en"):
        return cockpit_for(user, language="en", today=TODAY).todo


def _wave(survey, wave, scores_by_unit, *, day):
    """Answers of ``wave``: for each unit, its scores (Paris and Lyon, IT and sales jobs
    alternately, so that sites and job families mix the units)."""
    for unit, scores in scores_by_unit.items():
        for i, score in enumerate(scores):
            answer(survey, wave, nps=score, unit=unit, site=("PAR", "LYS")[i % 2],
                   job=("IT", "COM")[i % 2], day=day)


def _barometer(personas, latest_sales):
    survey = make_barometer(created_by=personas["marketing"])
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    steady = [10, 9, 9, 8, 7, 3] * 5  # 30 answers, NPS +33
    _wave(survey, first, {"DG": steady, "VEN": [10, 10, 9, 9, 8, 7] * 5}, day=dt.date(2025, 1, 8))
    _wave(survey, second, {"DG": steady, "VEN": latest_sales}, day=dt.date(2025, 7, 9))
    return survey


def _drops(items):
    return [item for item in items if "The NPS of" in item.text]


def test_a_significant_drop_of_a_unit_is_listed_with_its_interval_and_link(personas):
    # Sales: +67 in wave 1 (20 promoters, 10 passives of 30), −17 in wave 2 (10, 5, 15).
    survey = _barometer(personas, [10, 9, 7, 3, 2, 0] * 5)
    items = _drops(_todo(personas["marketing"]))
    sales = [item for item in items if "“Ventes”" in item.text]
    assert len(sales) == 1
    text = sales[0].text
    assert text.startswith("The NPS of the business unit “Ventes” fell by 83 points from "
                           "Vague 1 to Vague 2 (95 % interval: ")
    assert "now −17, n = 30" in text
    assert sales[0].priority == "high"
    assert sales[0].url == (reverse("insights:barometer", args=[survey.slug])
                            + "?wave=2&unit=VEN")
    # The steady unit is not listed.
    assert not any("“Direction générale”" in item.text for item in items)
    # The figure is the barometer's: its interval is that of compare_estimates.
    [change] = [c for c in changes.segment_drops(survey) if c.key == "VEN"]
    assert change.value == pytest.approx(-250 / 3)
    assert change.low < change.value < change.high < 0
    assert change.adjusted_p < changes.ALPHA


def test_a_drop_that_is_not_significant_gives_no_item(personas):
    # Sales: +67 → +50 (17 points on 30 answers a wave): within the noise.
    survey = _barometer(personas, [10, 10, 9, 9, 7, 3] * 5)
    assert _drops(_todo(personas["marketing"])) == []
    assert changes.segment_drops(survey) == []


def test_a_segment_too_small_in_the_latest_wave_gives_no_item(personas):
    # Three answers from sales in wave 2, all detractors: the barometer hides the group (and
    # its complement), so the cockpit says nothing of it.
    _barometer(personas, [0, 1, 2])
    assert _drops(_todo(personas["marketing"])) == []


def test_nothing_is_tested_before_two_closed_waves(personas):
    survey = make_barometer(created_by=personas["marketing"])
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    _wave(survey, wave, {"DG": [0] * 10, "VEN": [10] * 10}, day=dt.date(2025, 1, 8))
    assert changes.segment_drops(survey) == []


def test_an_owner_has_no_segment_item(personas):
    _barometer(personas, [10, 9, 7, 3, 2, 0] * 5)
    assert access.visible_surveys(personas["owner"]).count() == 0
    assert todo.segments_dropping(personas["owner"]) == []


# --- themes growing among detractors ------------------------------------------------------------

VPN = ["Le VPN coupe la connexion sans cesse", "Connexion VPN impossible depuis la maison",
       "Le VPN déconnecte la connexion en réunion", "VPN lent, connexion perdue"]
PRINTER = ["L'imprimante bloque le papier", "Imprimante en panne, papier coincé",
           "Toujours un bourrage de papier à l'imprimante", "Imprimante hors service, papier"]
LAPTOP = ["Mon ordinateur portable est trop lent au démarrage",
          "Ordinateur portable lent et bruyant", "Le portable met dix minutes à démarrer",
          "Ordinateur portable trop ancien et lent"]


def _comments(survey, wave, texts, *, day):
    for i, text in enumerate(texts):
        answer(survey, wave, nps=i % 7, unit=("DG", "VEN")[i % 2], why_low=text,
               comment=text, day=day)


def _themed(personas, latest_vpn: int, first_vpn: int = 3):
    """Two waves of 30 detractors' comments: ``first_vpn`` about the VPN in wave 1,
    ``latest_vpn`` in wave 2; the rest about printers and laptops."""
    survey = make_barometer(created_by=personas["marketing"])
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))

    def texts(vpn):
        rest = 30 - vpn
        return ([VPN[i % 4] for i in range(vpn)] + [PRINTER[i % 4] for i in range(rest // 2)]
                + [LAPTOP[i % 4] for i in range(rest - rest // 2)])

    _comments(survey, first, texts(first_vpn), day=dt.date(2025, 1, 8))
    _comments(survey, second, texts(latest_vpn), day=dt.date(2025, 7, 9))
    return survey


def _themes(items):
    return [item for item in items if item.text.startswith("The theme")]


def test_a_theme_growing_among_detractors_is_listed_with_a_link_to_its_comments(personas):
    survey = _themed(personas, latest_vpn=18)
    [item] = _themes(_todo(personas["marketing"]))
    assert "grows among the detractors of “IT satisfaction barometer”" in item.text
    assert "60 % of their comments in Vague 2, +50 points since Vague 1 (95 % interval: " \
        in item.text
    [(change, label)] = changes.growing_themes(survey, TODAY)
    assert "vpn" in label.lower() and f"“{label}”" in item.text
    assert change.now == pytest.approx(60.0) and change.value == pytest.approx(50.0)
    assert item.url == (reverse("insights:verbatims") + f"?survey={survey.slug}&theme="
                        f"{change.key}&band=low")


def test_a_theme_that_does_not_grow_significantly_gives_no_item(personas):
    # 10 of 30 → 14 of 30 (from 14 authors, over the threshold): within the noise.
    survey = _themed(personas, first_vpn=10, latest_vpn=14)
    assert _themes(_todo(personas["marketing"])) == []
    assert changes.growing_themes(survey, TODAY) == []


def test_a_theme_grows_only_from_the_verbatim_threshold_on(personas):
    # Wave 2 has 9 detractors' comments only (the verbatim threshold is 10), all about the VPN.
    survey = make_barometer(created_by=personas["marketing"])
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    _comments(survey, first, [PRINTER[i % 4] for i in range(15)] + [LAPTOP[i % 4]
                                                                     for i in range(15)],
              day=dt.date(2025, 1, 8))
    _comments(survey, second, [VPN[i % 4] for i in range(9)], day=dt.date(2025, 7, 9))
    assert _themes(_todo(personas["marketing"])) == []
