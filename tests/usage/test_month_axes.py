"""The usage pages' month axes read "févr. 2026" / "Feb 2026", not "2026-02"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from phare.analysis.adoption import Rate
from phare.lib import charts
from phare.usage import figures
from phare.usage.queries import MonthFigures


def _months() -> list[MonthFigures]:
    return [MonthFigures(month=dt.date(2026, m, 1), active_users=40 + m, audience=100,
                         adoption=Rate(value=0.4, low=0.3, high=0.5, n=100),
                         stickiness=0.2, frequency=3.0)
            for m in (1, 2, 3)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_active_users_and_adoption_by_month_label_months_in_the_readers_way(language):
    with translation.override(language):
        found = [figures.active_users_chart(_months()), figures.adoption_trend_chart(_months())]
    for item in found:
        assert item is not None
        assert item.spec["transform"] == [charts.month_labels("month")]
        layers = item.spec.get("layer", [item.spec])
        assert all(layer["encoding"]["x"]["axis"]["labelExpr"] == charts.month_label(
            "datum.value") for layer in layers)
        # The table and its CSV keep ISO months.
        assert list(item.table["month"]) == ["2026-01", "2026-02", "2026-03"]
        assert item.spec["config"]["locale"]["time"] == charts.TIME_LOCALES[language]
