"""Month axes read as the reader writes months: "févr. 2026" in French, "Feb 2026" in English,
in the page (the spec's time locale) and in reports (vl-convert, given the same locale)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from django.utils import translation

from phare.lib import charts

FRAME = pd.DataFrame({"month": ["2026-01", "2026-02", "Vague 3"], "value": [1.0, 3.0, 2.0]})


def trend() -> charts.Chart:
    figure = {"data": charts.values(FRAME), "transform": [charts.month_labels("month")],
              "mark": {"type": "line", "point": True},
              "encoding": {"x": charts.month_axis("month:O", title="Mois"),
                           "y": charts.encode("value:Q"),
                           "tooltip": [charts.encode("month_label:N", title="Mois")]}}
    return charts.chart(figure, id="trend", title="Tendance", table=FRAME)


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_axis_writes_iso_months_with_the_charts_time_format():
    with translation.override("fr"):
        spec = trend().spec
    label = spec["encoding"]["x"]["axis"]["labelExpr"]
    assert "utcFormat(toDate(datum.value + '-01'), '%b %Y')" in label
    assert spec["transform"] == [{"calculate": charts.month_label('datum["month"]'),
                                  "as": "month_label"}]
    # The data and the table keep ISO months (sortable, and what the CSV says).
    assert [row["month"] for row in spec["data"]["values"]] == ["2026-01", "2026-02", "Vague 3"]
    assert spec["config"]["locale"]["time"]["shortMonths"][1] == "févr."


@pytest.mark.parametrize(("language", "months"), [("fr", ["janv. 2026", "févr. 2026"]),
                                                  ("en", ["Jan 2026", "Feb 2026"])])
def test_a_report_draws_months_in_its_language(language, months):
    with translation.override(language):
        item = trend()
    # Rendered later, under another active language: the spec's own locale wins.
    with translation.override("en" if language == "fr" else "fr"):
        drawn = texts(charts.to_svg(item))
    assert drawn[:3] == [*months, "Vague 3"]
    assert not any(re.fullmatch(r"\d{4}-\d{2}", text) for text in drawn)
