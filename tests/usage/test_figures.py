"""The usage charts in both languages: a unit keeps its colour whatever the language, the target
curve is dashed, bars and intervals stand out, long unit names wrap."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

from django.utils import translation

from phare.lib import charts
from phare.usage import figures


def rate(value: float) -> NS:
    return NS(value=value, low=max(0.0, value - 0.05), high=min(1.0, value + 0.05))


def progress() -> NS:
    weeks = [dt.date(2026, 9, 7) + dt.timedelta(weeks=i) for i in range(3)]
    return NS(weeks=weeks, expected=[0.1, 0.3, 0.5],
              units=[{"key": "VEN", "label": "Ventes", "rates": [rate(.1), rate(.2), rate(.4)]},
                     {"key": "DSI", "label": "Direction des systèmes d'information",
                      "rates": [rate(.2), None, rate(.6)]}])


def test_a_unit_keeps_its_colour_in_french_and_in_english():
    built = {}
    for language in ("fr", "en"):
        with translation.override(language):
            built[language] = figures.deployment_chart(progress())
    colours = []
    for item in built.values():
        assert item is not None
        scale = item.spec["encoding"]["color"]["scale"]
        colours.append(dict(zip(scale["domain"], scale["range"], strict=True)))
        assert item.spec["encoding"]["strokeDash"]["condition"]["test"] == {
            "field": "code", "equal": figures.TARGET}
        assert "code" not in item.table.columns
    assert colours[0] == colours[1]
    assert list(colours[0]) == [figures.TARGET, "VEN", "DSI"]
    with translation.override("en"):
        legend = built["en"].spec["encoding"]["color"]["legend"]["labelExpr"]
    assert '"Target"' in legend and '"Ventes"' in legend


def test_adoption_bars_wrap_long_names_and_draw_their_interval_over_the_bar():
    frame = figures.pd.DataFrame([{"group": "Direction des systèmes d'information",
                                   "adoption": 61.0, "low": 55.0, "high": 67.0,
                                   "audience": 300}])
    spec = figures._interval_bars(frame, "Business unit", "Adoption (%)")
    bar, interval = spec["layer"]
    assert bar["mark"]["color"] == charts.BAR_COLOR
    assert interval["mark"]["color"] == charts.INTERVAL_COLOR
    assert bar["encoding"]["y"]["axis"] == charts.WRAPPED_AXIS
    assert spec["data"]["values"][0]["axis_label"] == ("Direction des systèmes\n"
                                                      "d'information")
    assert all(tip.get("title") for tip in bar["encoding"]["tooltip"])
