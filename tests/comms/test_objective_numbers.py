"""An objective's figures are written as the metrics registry writes them, in the reader's
language: a true minus, the locale's decimal mark, "%" after a share — on the plan's page
and on the cockpit alike."""

from __future__ import annotations

from django.utils import translation

from phare.comms.figures import number
from phare.comms.objectives import Live


def _live(metric: str, unit: str, value: float, target: float, baseline: float) -> Live:
    return Live(metric=metric, label="", status="on_track", value=value, unit=unit, n=738,
                as_of=None, previous=value - 8.5, baseline=baseline, target=target,
                due_on=None)


def test_an_nps_objective_reads_with_a_true_minus_in_both_languages():
    live = _live("nps", "points", -17.94, 40, -28)
    with translation.override("fr"):
        assert (live.value_text, live.target_text, live.baseline_text) == ("−17,9", "40", "−28")
        assert live.change_text == "+8,5"
    with translation.override("en"):
        assert (live.value_text, live.change_text) == ("−17.9", "+8.5")


def test_a_share_objective_carries_its_percent_sign():
    live = _live("needs_answered", "%", 36.29, 51.6, 30)
    with translation.override("fr"):
        assert (live.value_text, live.target_text) == ("36,3\u202f%", "51,6\u202f%")
    with translation.override("en"):
        assert (live.value_text, live.baseline_text) == ("36.3%", "30%")


def test_a_mean_on_a_scale_is_a_plain_number():
    live = _live("satisfaction", "score", 3.04, 3.5, 2.9)
    with translation.override("fr"):
        assert (live.value_text, live.target_text) == ("3", "3,5")
    with translation.override("fr"):
        assert number(-4.25, "points") == "−4,3 points"
