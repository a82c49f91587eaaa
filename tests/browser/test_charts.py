"""A chart drawn by Chromium from the generated Vega bundle: no CDN, an SVG in the page."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from phare.lib import charts

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
