"""Every chart of the insights pages with a month axis writes months as the reader does:
"févr. 2026" in French, "Feb 2026" in English — on the page and in the reports' SVG."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace as NS

import pytest
from django.utils import translation

from phare import analysis
from phare.insights import figures
from phare.lib import charts

HAPPY = analysis.nps_from_counts(20, 5, 5)


def _row(key: str) -> dict:
    return {"key": key, "happiness": HAPPY, "n": 30, "suppressed": False,
            "lost_hours_mean": 0.5}


def _month_charts() -> list[charts.Chart]:
    months = [_row("2026-01"), _row("2026-02")]
    card = NS(tickets={"months": months},
              satisfaction=[{"period": "2026-01", "nps": HAPPY, "csat": None},
                            {"period": "2026-02", "nps": HAPPY, "csat": None}])
    usage = NS(trend=[NS(month=dt.date(2026, 1, 1), active_users=40, adoption=None),
                      NS(month=dt.date(2026, 2, 1), active_users=45, adoption=None)])
    found = [figures.monthly_chart(months), figures.card_ticket_trend(card),
             figures.card_trend(card), figures.card_usage(usage)]
    assert all(found)
    return found  # type: ignore[return-value]


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_month_axis_is_labelled_in_the_charts_locale(language):
    with translation.override(language):
        found = _month_charts()
    for item in found:
        month = next(field for field in ("month", "period")
                     if field in item.spec["data"]["values"][0])
        assert item.spec["transform"] == [charts.month_labels(month)], item.id
        for layer in _layers(item.spec):
            x = layer["encoding"]["x"]
            assert x["axis"]["labelExpr"] == charts.month_label("datum.value"), item.id
            tips = [t["field"] for t in layer["encoding"].get("tooltip", [])]
            assert month not in tips  # the tooltip shows the month as written on the axis
        assert item.spec["config"]["locale"] == charts.locale(language)


@pytest.mark.parametrize(("language", "months"), [("fr", ["janv. 2026", "févr. 2026"]),
                                                  ("en", ["Jan 2026", "Feb 2026"])])
def test_the_reports_svg_writes_the_months(language, months):
    with translation.override(language):
        chart = figures.monthly_chart([_row("2026-01"), _row("2026-02")])
    assert chart is not None
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", charts.to_svg(chart))
    assert drawn[:2] == months
    assert not any(re.fullmatch(r"\d{4}-\d{2}", text) for text in drawn)
