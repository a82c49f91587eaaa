"""Charts drawn by Chromium from the generated Vega bundle: no CDN, an SVG in the page; the
barometer's charts on a desk (1366 px) and a phone (390 px), in French and English, each
fitting its card, named by its title, speaking the page's language in its axes and tooltips,
its tooltip closing with Esc."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace as NS

import altair as alt
import pandas as pd
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from phare.lib import charts
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_chart_is_drawn_with_its_table_alternative(page, live_server, shot):
    frame = pd.DataFrame({"vague": ["V1", "V2", "V3", "V4"], "nps": [8.0, 12.5, 17.0, 21.5]})
    item = charts.chart(alt.Chart(frame).mark_bar().encode(x="vague:N", y="nps:Q"), id="nps",
                        title="NPS par vague", table=frame, n=1234)
    request = RequestFactory().get("/")
    body = render_to_string("includes/chart.html", {"chart": item, "request": request})
    scripts = render_to_string("includes/chart_scripts.html")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/healthz")  # same origin as the static files
    page.set_content(f"<html><head><link rel='stylesheet' href='/static/phare/phare.css'>"
                     f"{scripts}</head><body><main style='width:600px'>{body}</main></body></html>")
    page.wait_for_selector("#chart-nps .chart-canvas svg")
    assert page.locator("#chart-nps .chart-canvas svg .mark-rect path").count() == 4
    assert all(url.startswith(live_server.url) for url in requests), requests
    page.get_by_text("Voir les chiffres sous forme de tableau").click()
    assert page.locator("#chart-nps table tbody tr").count() == 4
    shot("chart")

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

#: Each chart drawn: its card's and its drawing's widths, its title, the drawing's name and
#: the texts of its axes and legends.
MEASURE = """() => [...document.querySelectorAll("figure.chart")].map((figure) => {
  const svg = figure.querySelector(".chart-canvas svg");
  const canvas = figure.querySelector(".chart-canvas");
  return {id: figure.id, card: figure.getBoundingClientRect().right,
          canvas: canvas.clientWidth, scroll: canvas.scrollWidth,
          svg: svg ? svg.getBoundingClientRect().width : -1,
          title: figure.querySelector(".chart-title").textContent.trim(),
          // Vega names the element it draws in with the spec's description.
          name: canvas.getAttribute("aria-label"),
          role: canvas.getAttribute("role"),
          texts: svg ? [...svg.querySelectorAll("text")].map((t) => t.textContent) : []};
})"""


def _barometer():
    survey = make_barometer()
    for number, opens in ((1, dt.date(2025, 1, 6)), (2, dt.date(2025, 7, 7))):
        wave = add_wave(survey, number, opens)
        for i in range(40):
            nps = [2, 5, 8, 9, 10][(i + number) % 5] if number == 1 else [9, 9, 10, 10, 8][i % 5]
            grid = {code: {"importance": 1 + (i * k) % 5, "satisfaction": max(1, min(5, nps // 2))}
                    for k, code in ((1, "reactivite"), (2, "competence"), (3, "communication"))}
            answer(survey, wave, nps=nps, unit=["VEN", "DSI", "DG"][i % 3], grid=grid,
                   day=opens + dt.timedelta(days=2))
    return survey


def test_the_barometers_charts_fit_their_cards_and_are_named_by_their_titles(
        page, sign_in, shot, personas, tmp_path, live_server):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "PHARE_ANALYTICS_DIR", tmp_path / "analytics", raising=False)
        survey = _barometer()
        sign_in("marketing")
        for language in ("fr", "en"):
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME,
                                       "value": language, "url": live_server.url}])
            for device, size in SIZES.items():
                page.set_viewport_size(size)
                page.goto(f"/insights/barometer/{survey.slug}/")
                page.wait_for_selector("#chart-importance-performance .chart-canvas svg")
                page.wait_for_function("[...document.querySelectorAll('figure.chart')].every("
                                       "(f) => f.querySelector('.chart-canvas svg'))")
                charts = page.evaluate(MEASURE)
                assert {c["id"] for c in charts} >= {"chart-nps-trend", "chart-by-unit",
                                                     "chart-importance-performance"}
                width = page.evaluate("document.documentElement.clientWidth")
                for chart in charts:
                    where = (language, device, chart["id"])
                    assert chart["svg"] <= chart["canvas"] + 1, where
                    assert chart["scroll"] <= chart["canvas"] + 1, where
                    assert chart["card"] <= width + 1, where
                    assert chart["name"] and chart["name"].startswith(chart["title"]), where
                    assert "Vega" not in chart["name"], where
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
                trend = next(c for c in charts if c["id"] == "chart-nps-trend")
                wave = "Vague" if language == "fr" else "Wave"
                assert wave in trend["texts"], trend["texts"]
                shot(f"charts-barometer-{language}-{device}")
            page.set_viewport_size(SIZES["desktop"])
            # A tooltip names its fields in the page's language; Esc closes it.
            page.locator("#chart-nps-trend .mark-symbol path").first.hover()
            tooltip = page.locator("#vg-tooltip-element")
            tooltip.wait_for(state="visible")
            text = tooltip.inner_text()
            assert ("Vague" if language == "fr" else "Wave") in text, text
            assert "nps" not in text, text
            page.keyboard.press("Escape")
            tooltip.wait_for(state="hidden")


def _estimate(value: float, n: int = 40, spread: float = 9.0) -> NS:
    return NS(value=value, low=value - spread, high=value + spread, n=n)


def _gallery() -> list[charts.Chart]:
    """The insights charts that need the most room, on realistic figures: the importance ×
    satisfaction grid, 28 key drivers, a breakdown by long unit names, ticket happiness by
    assignment group, and perception vs reality."""
    from phare.insights import figures

    attributes = [{"label": label, "importance": imp, "performance": perf, "quadrant": quad}
                  for label, imp, perf, quad in (
                      ("Réactivité du support", 4.6, 2.8, "concentrate_here"),
                      ("Compétence des techniciens", 4.4, 4.3, "keep_up_the_good_work"),
                      ("Information sur les incidents", 3.2, 2.9, "low_priority"),
                      ("Horaires d'ouverture", 3.0, 4.5, "possible_overkill"),
                      ("Qualité du matériel", 4.1, 3.9, "keep_up_the_good_work"))]
    shares = [{"label": f"Critère numéro {i + 1} de l'enquête annuelle", "percent": 40 / (i + 1)}
              for i in range(28)]
    units = ["Direction des systèmes d'information et du numérique", "Ventes",
             "Direction générale", "Ressources humaines et relations sociales"]
    data = NS(waves=[], attributes=attributes, attributes_n=412,
              drivers={"shares": shares, "n": 412, "r2": 0.7234},
              breakdowns={"unit": [{"segment": unit, "nps": _estimate(30 - 12 * i), "n": 60,
                                    "suppressed": False} for i, unit in enumerate(units)]},
              survey=NS(min_group_size=5))
    groups = [{"key": name, "happiness": _estimate(60 - 25 * i, 30), "n": 30,
               "suppressed": False, "lost_hours_mean": 1.5 + i}
              for i, name in enumerate(["Support de proximité Lyon", "Réseau et téléphonie",
                                        "Applications métier finance et achats"])]
    placed = [NS(service=NS(name=name), adoption=NS(value=a, low=a - .08, high=a + .08, n=900),
                 satisfaction=NS(value=s, low=s - 11, high=s + 11, n=120), measure="NPS",
                 placement=NS(name=code), label=str(figures_labels()[code]))
              for name, a, s, code in (("Messagerie", .92, 35, "keep"), ("VPN", .81, -22, "fix"),
                                       ("Wiki", .18, 41, "promote"),
                                       ("Bureau virtuel", .12, -30, "question"))]
    built = [figures.importance_chart(data), figures.drivers_chart(data),
             figures.segment_chart(data, "unit", str(figures.SEGMENT_TITLES["unit"]), {}),
             figures.happiness_bars(groups, id="by-assignment-group", title="Assignment group"),
             figures.perception_map(placed)]
    return [item for item in built if item is not None]


def figures_labels() -> dict:
    from phare.insights.perception import QUADRANT_LABELS

    return QUADRANT_LABELS


def test_the_widest_insights_charts_fit_a_desk_and_a_phone_in_both_languages(page, shot):
    request = RequestFactory().get("/")
    page.goto("/healthz")  # same origin as the static files
    for language in ("fr", "en"):
        with translation.override(language):
            items = _gallery()
            body = "".join(render_to_string("includes/chart.html",
                                            {"chart": item, "request": request})
                           for item in items)
            scripts = render_to_string("includes/chart_scripts.html")
        for device, size in SIZES.items():
            page.set_viewport_size(size)
            page.goto("/healthz")  # a new document: the scripts are loaded once in each
            page.set_content(f"<html lang='{language}'><head><link rel='stylesheet' "
                             f"href='/static/phare/phare.css'>{scripts}</head><body><main>"
                             f"<div class='chart-grid'>{body}</div></main></body></html>")
            page.wait_for_function("[...document.querySelectorAll('figure.chart')].every("
                                   "(f) => f.querySelector('.chart-canvas svg'))")
            drawn = page.evaluate(MEASURE)
            assert len(drawn) == len(items) == 5
            width = page.evaluate("document.documentElement.clientWidth")
            for chart in drawn:
                where = (language, device, chart["id"])
                assert chart["svg"] <= chart["canvas"] + 1, where
                assert chart["card"] <= width + 1, where
                assert chart["name"].startswith(chart["title"]), where
            # The 28 key drivers: a few ticks on the axis, not one every 40 px.
            drivers = next(c for c in drawn if c["id"] == "chart-key-drivers")
            assert sum(t.strip().isdigit() for t in drivers["texts"]) <= 8, drivers["texts"]
            # Numbers as the language writes them: "3,5" in French, "3.5" in English.
            grid = next(c for c in drawn if c["id"] == "chart-importance-performance")
            decimal = r"^\d,\d$" if language == "fr" else r"^\d\.\d$"
            assert any(re.match(decimal, text) for text in grid["texts"]), grid["texts"]
            # Each quadrant keeps its colour, its legend speaks the page's language.
            perception = next(c for c in drawn if c["id"] == "chart-perception")
            if language == "en":
                assert "Keep: used and liked" in perception["texts"], perception["texts"]
            shot(f"charts-gallery-{language}-{device}")
