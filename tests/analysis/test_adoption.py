"""Adoption figures against hand-computed and published values, edge cases and refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from phare.analysis.adoption import (
    CohortRow,
    Placement,
    Rate,
    Score,
    Waste,
    adoption_rate,
    cohort_retention,
    lagging,
    licence_waste,
    quadrant,
    stickiness,
    target_curve,
)
from phare.analysis.errors import AnalysisError
from phare.analysis.estimates import nps

K = 5


def rate(value: float, low: float, high: float, n: int = 100) -> Rate:
    return Rate(value=value, low=low, high=high, n=n)


def score(value: float, low: float, high: float, measure: str = "nps") -> Score:
    return Score(value=value, low=low, high=high, n=80, measure=measure)


# --- adoption_rate ---------------------------------------------------------------------------


def test_it_gives_the_wilson_interval_of_45_out_of_100() -> None:
    # By hand, z = 1.959964: centre = (0.45 + z²/200) / (1 + z²/100) = 0.451850,
    # half = z / (1 + z²/100) · √(0.45 · 0.55 / 100 + z²/40000) = 0.095705.
    result = adoption_rate(45, 100)
    assert result.value == pytest.approx(0.45)
    assert result.low == pytest.approx(0.35615, abs=5e-6)
    assert result.high == pytest.approx(0.54755, abs=5e-6)
    assert result.n == 100


@pytest.mark.parametrize(
    ("active", "audience", "low", "high"),
    [
        # Newcombe (1998a), method 3 (Wilson score, no continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_it_matches_published_wilson_intervals(active: int, audience: int, low: float,
                                               high: float) -> None:
    result = adoption_rate(active, audience)
    assert result.value == pytest.approx(active / audience)
    assert result.low == pytest.approx(low, abs=5e-5)
    assert result.high == pytest.approx(high, abs=5e-5)


def test_it_gives_a_full_adoption_an_interval_below_one() -> None:
    # The mirror of 0/20 (Newcombe): 20/20 gives 0.8389 to 1.
    result = adoption_rate(20, 20)
    assert (result.value, result.high) == (1.0, 1.0)
    assert result.low == pytest.approx(1 - 0.1611, abs=5e-5)


def test_it_widens_the_interval_at_another_confidence_level() -> None:
    at_95 = adoption_rate(45, 100)
    at_99 = adoption_rate(45, 100, confidence=0.99)
    assert at_99.low < at_95.low and at_99.high > at_95.high


def test_it_accepts_numpy_counts() -> None:
    assert adoption_rate(np.int64(45), np.int64(100)) == adoption_rate(45, 100)  # type: ignore[arg-type]


def test_it_refuses_an_empty_audience() -> None:
    with pytest.raises(AnalysisError, match="no one is in the audience"):
        adoption_rate(0, 0)


def test_it_refuses_more_active_users_than_audience_instead_of_clipping() -> None:
    with pytest.raises(AnalysisError, match="active users exceed the audience"):
        adoption_rate(101, 100)


@pytest.mark.parametrize(("active", "audience"), [(-1, 10), (1, -10), (True, 10), (1.5, 10)])
def test_it_refuses_counts_that_are_not_counts(active: object, audience: object) -> None:
    with pytest.raises(AnalysisError, match="whole number"):
        adoption_rate(active, audience)  # type: ignore[arg-type]


def test_it_refuses_a_bad_confidence_level() -> None:
    with pytest.raises(AnalysisError):
        adoption_rate(4, 10, confidence=1.5)


@pytest.mark.parametrize(
    ("value", "low", "high", "n"),
    [(0.5, 0.6, 0.7, 10), (0.5, 0.4, 1.2, 10), (0.5, 0.4, 0.6, 0), (math.nan, 0.4, 0.6, 10)],
)
def test_it_refuses_a_rate_that_does_not_hold_together(value: float, low: float, high: float,
                                                       n: int) -> None:
    with pytest.raises(AnalysisError, match="rate"):
        Rate(value=value, low=low, high=high, n=n)


# --- stickiness ------------------------------------------------------------------------------


def test_it_gives_dau_over_mau() -> None:
    assert stickiness(250.0, 1000) == pytest.approx(0.25)
    assert stickiness(37.5, 50) == pytest.approx(0.75)
    assert stickiness(0.0, 40) == 0.0


def test_it_has_no_stickiness_without_monthly_users() -> None:
    assert stickiness(0.0, 0) is None


@pytest.mark.parametrize(("dau", "mau", "message"), [
    (60.0, 50, "exceed"), (-1.0, 50, "negative"), (math.inf, 50, "finite"), (3.0, -1, "whole"),
])
def test_it_refuses_daily_users_that_do_not_fit(dau: float, mau: int, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        stickiness(dau, mau)


# --- target_curve ----------------------------------------------------------------------------


def test_it_draws_the_s_curve_through_5_and_95_percent_of_the_target() -> None:
    # T = 0.6, W = 10: f(0) = 0.6/20, f(5) = 0.6/2, f(10) = 0.6·19/20, and at 20 weeks
    # f = 0.6 / (1 + 19⁻³) = 0.6 · 6859/6860.
    curve = target_curve(20, target_rate=0.6, target_weeks=10)
    assert len(curve) == 21
    assert curve[0] == pytest.approx(0.03)
    assert curve[5] == pytest.approx(0.30)
    assert curve[10] == pytest.approx(0.57)
    assert curve[20] == pytest.approx(0.6 * 6859 / 6860)
    assert all(a < b for a, b in zip(curve, curve[1:], strict=False))
    assert max(curve) < 0.6


def test_it_draws_a_symmetric_s_curve() -> None:
    curve = target_curve(8, target_rate=1.0, target_weeks=8)
    for week in range(9):
        assert curve[week] + curve[8 - week] == pytest.approx(1.0)


def test_it_draws_a_linear_ramp_then_a_plateau() -> None:
    assert target_curve(5, target_rate=0.8, target_weeks=4, shape="linear") == pytest.approx(
        [0.0, 0.2, 0.4, 0.6, 0.8, 0.8])


def test_it_gives_the_launch_week_alone_for_zero_weeks() -> None:
    assert target_curve(0, target_rate=0.5, target_weeks=6) == pytest.approx([0.025])
    assert target_curve(0, target_rate=0.5, target_weeks=6, shape="linear") == [0.0]


@pytest.mark.parametrize(("weeks", "target_rate", "target_weeks", "shape", "message"), [
    (-1, 0.5, 4, "s", "weeks"),
    (10, 0.0, 4, "s", "target_rate"),
    (10, 1.5, 4, "s", "target_rate"),
    (10, 0.5, 0, "s", "target_weeks"),
    (10, 0.5, 4, "cubic", "shape"),
])
def test_it_refuses_a_curve_it_cannot_draw(weeks: int, target_rate: float, target_weeks: int,
                                           shape: str, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        target_curve(weeks, target_rate=target_rate, target_weeks=target_weeks,
                     shape=shape)  # type: ignore[arg-type]


# --- lagging ---------------------------------------------------------------------------------


def test_it_names_only_units_wholly_below_the_curve_furthest_first() -> None:
    rates = {
        "plant": adoption_rate(30, 100),   # high 0.397
        "small office": adoption_rate(2, 5),  # 0.4, but high 0.77: noise, not lagging
        "depot": adoption_rate(10, 100),   # high 0.174
        "head office": adoption_rate(60, 100),
    }
    assert lagging(rates, 0.5) == ["depot", "plant"]
    assert lagging(rates, 0.1) == []


def test_it_orders_ties_by_upper_bound_then_input() -> None:
    rates = {"a": rate(0.2, 0.1, 0.35), "b": rate(0.2, 0.15, 0.3), "c": rate(0.2, 0.1, 0.35)}
    assert lagging(rates, 0.5) == ["b", "a", "c"]


def test_it_refuses_an_expected_rate_outside_zero_and_one() -> None:
    with pytest.raises(AnalysisError, match="expected"):
        lagging({}, 1.2)


# --- quadrant --------------------------------------------------------------------------------


def test_it_places_a_liked_little_used_service_in_promote() -> None:
    placement = quadrant(rate(0.31, 0.22, 0.41), score(25.0, 10.0, 40.0))
    assert placement == Placement(name="promote", certain=True, reasons=[
        ("adoption_below", 0.31, 0.5), ("satisfaction_above", 25.0, 0.0)])


def test_it_places_a_used_disliked_service_in_fix() -> None:
    placement = quadrant(rate(0.8, 0.7, 0.88), score(-20.0, -35.0, -5.0))
    assert placement.name == "fix" and placement.certain
    assert placement.reasons == [("adoption_above", 0.8, 0.5), ("satisfaction_below", -20.0, 0.0)]


def test_it_places_keep_and_question() -> None:
    assert quadrant(rate(0.8, 0.7, 0.88), score(30.0, 20.0, 40.0)).name == "keep"
    assert quadrant(rate(0.2, 0.1, 0.3), score(-30.0, -40.0, -20.0)).name == "question"


def test_it_says_which_interval_straddles_its_cut() -> None:
    placement = quadrant(rate(0.45, 0.35, 0.55), score(5.0, -8.0, 18.0))
    assert placement.name == "promote"
    assert not placement.certain
    assert placement.reasons == [
        ("adoption_below", 0.45, 0.5), ("satisfaction_above", 5.0, 0.0),
        ("adoption_uncertain", 0.35, 0.55), ("satisfaction_uncertain", -8.0, 18.0),
    ]
    only_adoption = quadrant(rate(0.45, 0.35, 0.55), score(30.0, 20.0, 40.0))
    assert not only_adoption.certain
    assert [r[0] for r in only_adoption.reasons][-1] == "adoption_uncertain"


def test_it_counts_a_value_at_its_cut_as_above() -> None:
    placement = quadrant(rate(0.5, 0.5, 0.6), score(0.0, 0.0, 10.0))
    assert placement.name == "keep"
    assert placement.certain  # both intervals touch their cuts from above


def test_it_uses_the_cuts_it_is_given() -> None:
    happiness = score(72.0, 65.0, 79.0, measure="ticket_happiness")
    placement = quadrant(rate(0.35, 0.3, 0.4), happiness, adoption_cut=0.3,
                         satisfaction_cut=80.0)
    assert placement.name == "fix"
    assert placement.certain
    assert ("satisfaction_below", 72.0, 80.0) in placement.reasons


def test_it_takes_a_score_from_an_estimate() -> None:
    estimate = nps([10, 9, 10, 7, 8, 3])
    converted = Score.from_estimate(estimate, "nps")
    assert (converted.value, converted.low, converted.high, converted.n) == (
        estimate.value, estimate.low, estimate.high, 6)
    assert converted.measure == "nps"


@pytest.mark.parametrize("cut", [-0.1, 1.1, math.nan])
def test_it_refuses_an_adoption_cut_outside_zero_and_one(cut: float) -> None:
    with pytest.raises(AnalysisError, match="adoption_cut"):
        quadrant(rate(0.5, 0.4, 0.6), score(1.0, 0.0, 2.0), adoption_cut=cut)


def test_it_refuses_a_score_that_does_not_hold_together() -> None:
    with pytest.raises(AnalysisError, match="score"):
        Score(value=10.0, low=20.0, high=30.0, n=5, measure="nps")
    with pytest.raises(AnalysisError, match="score.n"):
        Score(value=10.0, low=0.0, high=30.0, n=0, measure="nps")
    with pytest.raises(AnalysisError, match="measure"):
        Score(value=10.0, low=0.0, high=30.0, n=5, measure="")


# --- cohort_retention ------------------------------------------------------------------------


def test_it_gives_each_cohorts_retention_and_hides_small_cells() -> None:
    sizes = {"2026-01": 40, "2026-02": 3, "2026-03": 12, "2026-04": 0}
    rows = [
        ("2026-01", 0, 40),  # everyone: a complement of 0 hides nothing
        ("2026-01", 1, 30),
        ("2026-01", 2, 37),  # 3 inactive: hidden
        ("2026-01", 3, 2),   # 2 active: hidden
        ("2026-01", 4, 0),
        ("2026-02", 0, 3),   # a cohort of 3: hidden entirely
        ("2026-02", 1, 1),
        ("2026-03", 1, 6),
        ("2026-03", 0, 12),
    ]
    table = cohort_retention(rows, sizes, K)
    assert [row.cohort for row in table] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    january, february, march, april = table
    assert january == CohortRow(
        cohort="2026-01", size=40,
        users={0: 40, 1: 30, 2: None, 3: None, 4: 0},
        shares={0: 1.0, 1: 0.75, 2: None, 3: None, 4: 0.0},
    )
    assert february == CohortRow(cohort="2026-02", size=None, users={0: None, 1: None},
                                 shares={0: None, 1: None})
    assert list(march.shares) == [0, 1]
    assert march.shares == {0: 1.0, 1: 0.5}
    assert april == CohortRow(cohort="2026-04", size=0, users={}, shares={})


def test_it_uses_the_threshold_it_is_given_for_cohorts() -> None:
    rows = [("c", 1, 7)]
    assert cohort_retention(rows, {"c": 20}, 5)[0].shares == {1: 0.35}
    assert cohort_retention(rows, {"c": 20}, 8)[0].shares == {1: None}
    assert cohort_retention(rows, {"c": 20}, 21)[0].size is None


@pytest.mark.parametrize(("rows", "message"), [
    ([("x", 0, 1)], "has no size"),
    ([("c", 0, 21)], "exceed"),
    ([("c", 0, 5), ("c", 0, 6)], "twice"),
    ([("c", -1, 5)], "offset"),
    ([("c", 1, -5)], "users"),
    ([("c", 1)], "not \\(cohort, offset, users\\)"),
])
def test_it_refuses_cohort_rows_that_do_not_fit(rows: list[tuple[str, int, int]],
                                                message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        cohort_retention(rows, {"c": 20}, K)


def test_it_refuses_a_bad_cohort_size_or_threshold() -> None:
    with pytest.raises(AnalysisError, match="sizes"):
        cohort_retention([], {"c": -1}, K)
    with pytest.raises(AnalysisError, match="k:"):
        cohort_retention([], {"c": 10}, 0)


# --- licence_waste ---------------------------------------------------------------------------


def test_it_prices_the_inactive_seats() -> None:
    assert licence_waste(200, 50, 12.5) == Waste(assigned=200, inactive=50, share=0.25,
                                                 monthly_cost=625.0)


def test_it_leaves_the_cost_unknown_without_a_seat_price() -> None:
    assert licence_waste(10, 3, None) == Waste(assigned=10, inactive=3, share=0.3,
                                               monthly_cost=None)


def test_it_has_no_share_without_assigned_seats() -> None:
    assert licence_waste(0, 0, 10.0) == Waste(assigned=0, inactive=0, share=None,
                                              monthly_cost=0.0)


@pytest.mark.parametrize(("assigned", "inactive", "cost", "message"), [
    (10, 11, 5.0, "exceed"),
    (10, 2, -5.0, "negative"),
    (10, 2, math.nan, "finite"),
    (-1, 0, 5.0, "assigned"),
])
def test_it_refuses_seats_that_do_not_fit(assigned: int, inactive: int, cost: float,
                                          message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        licence_waste(assigned, inactive, cost)
