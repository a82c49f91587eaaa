"""Estimates against published reference values, edge cases and every input refused."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from phare.analysis.errors import AnalysisError
from phare.analysis.estimates import (
    CesEstimate,
    Comparison,
    CsatEstimate,
    MeanEstimate,
    NpsEstimate,
    ces,
    compare,
    csat,
    mean_score,
    nps,
    nps_from_counts,
    wilson_interval,
)

Z95 = 1.959963984540054  # Φ⁻¹(0.975)

# Worked case: shares ½ promoters, ⅓ passives, ⅙ detractors.
WORKED = [10, 9, 10, 7, 8, 3]

# Student's sleep data (Cushny & Peebles), as in R's ``datasets::sleep``.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def answers(satisfied: int, n: int) -> list[int]:
    """CSAT answers on 1–5 with ``satisfied`` fives and the rest twos."""
    return [5] * satisfied + [2] * (n - satisfied)


def wilson_roots(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson bounds as the roots of (p̂ − p)² = z² p(1 − p)/n, solved independently."""
    p_hat = x / n
    roots = np.roots([1 + z * z / n, -(2 * p_hat + z * z / n), p_hat * p_hat])
    low, high = sorted(float(np.real(r)) for r in roots)
    return low, high


# --- NPS -------------------------------------------------------------------------------------


def test_it_matches_the_nps_worked_example() -> None:
    result = nps(WORKED)
    assert result.value == pytest.approx(33.333333, abs=1e-6)
    assert result.variance == pytest.approx(5 / 9, abs=1e-12)
    assert math.sqrt(result.variance) == pytest.approx(0.745356, abs=1e-6)
    assert (result.promoters, result.passives, result.detractors) == (3, 2, 1)
    assert result.promoters_pct == pytest.approx(50)
    assert result.passives_pct == pytest.approx(100 / 3)
    assert result.detractors_pct == pytest.approx(100 / 6)
    assert (result.n, result.missing, result.method, result.confidence) == (6, 0, "wald", 0.95)
    # SE = √(5/9 / 6) = 0.304290; interval = 33.33 ± 1.959964 · 30.4290 points (hand-worked).
    assert result.se == pytest.approx(30.429031, abs=1e-6)
    assert result.low == pytest.approx(-26.306471, abs=1e-6)
    assert result.high == pytest.approx(92.973138, abs=1e-6)
    assert result.centre == result.value


def test_it_agrees_with_the_variance_of_the_plus_minus_one_codes() -> None:
    codes = np.array([1 if s >= 9 else -1 if s <= 6 else 0 for s in WORKED])
    result = nps(WORKED)
    assert result.value == pytest.approx(100 * codes.mean())
    assert result.variance == pytest.approx(np.var(codes))  # population variance, ddof=0


def test_it_narrows_the_interval_with_the_square_root_of_n() -> None:
    result = nps(WORKED * 100)
    assert result.value == pytest.approx(33.333333, abs=1e-6)
    assert result.low == pytest.approx(27.369353, abs=1e-6)
    assert result.high == pytest.approx(39.297314, abs=1e-6)


def test_it_computes_the_adjusted_wald_interval() -> None:
    # n' = 9, p' = 3.75/9, d' = 1.75/9, centre 2/9, Var' = 5.5/9 − (2/9)², SE' = √(Var'/9).
    result = nps(WORKED, method="adjusted_wald")
    assert result.value == pytest.approx(33.333333, abs=1e-6)  # the plain NPS
    assert result.centre == pytest.approx(22.222222, abs=1e-6)
    assert result.low == pytest.approx(-26.743259, abs=1e-6)
    assert result.high == pytest.approx(71.187703, abs=1e-6)
    variance = 5.5 / 9 - (2 / 9) ** 2
    assert result.se == pytest.approx(100 * math.sqrt(variance / 9))


def test_it_keeps_all_promoters_at_100_within_bounds() -> None:
    wald = nps([10, 9] * 25)
    assert (wald.value, wald.low, wald.high) == (100, 100, 100)
    adjusted = nps([10, 9] * 25, method="adjusted_wald")
    assert adjusted.value == 100
    assert -100 <= adjusted.low < 100
    assert adjusted.high == 100  # clipped: the unclipped bound is above 100
    detractors = nps([0] * 20, method="adjusted_wald")
    assert detractors.value == -100 and detractors.low == -100 and detractors.high > -100


def test_it_handles_a_single_answer() -> None:
    one = nps([9])
    assert (one.value, one.low, one.high, one.n) == (100, 100, 100, 1)
    adjusted = nps([9], method="adjusted_wald")
    # n' = 4, p' = 1.75/4, d' = 0.75/4: centre 25, SE 37.5 points.
    assert adjusted.centre == pytest.approx(25)
    assert adjusted.low == pytest.approx(25 - Z95 * 37.5)
    assert adjusted.high == pytest.approx(25 + Z95 * 37.5)
    assert adjusted.high < adjusted.value  # documented: the adjusted interval is shrunk to 0


def test_it_uses_the_requested_confidence() -> None:
    result = nps(WORKED, confidence=0.9)
    z90 = stats.norm.ppf(0.95)
    assert result.high - result.value == pytest.approx(z90 * 100 * math.sqrt(5 / 54))
    assert result.confidence == 0.9


def test_it_counts_missing_answers() -> None:
    result = nps([10, None, 9, float("nan"), 10, 7, pd.NA, 8, 3])
    assert (result.n, result.missing) == (6, 3)
    assert result.value == pytest.approx(100 / 3)
    series = pd.Series([10, None, 3], dtype="Int64")
    assert (nps(series).n, nps(series).missing) == (2, 1)


def test_it_accepts_arrays_series_and_whole_floats() -> None:
    expected = nps(WORKED)
    assert nps(np.array(WORKED)) == expected
    assert nps(pd.Series(WORKED, index=list("abcdef"))) == expected
    assert nps([float(s) for s in WORKED]) == expected
    assert nps(tuple(np.int64(s) for s in WORKED)) == expected
    assert nps(iter(WORKED)) == expected


def test_it_builds_nps_from_counts() -> None:
    assert nps_from_counts(3, 2, 1) == nps(WORKED)
    with pytest.raises(AnalysisError, match="n ≥ 1"):
        nps_from_counts(0, 0, 0)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (
            [1, 2, 3, 11, -1, 12, 5],
            "scores: 3 values are outside 0–10: 11, -1, 12 (positions 3, 4, 5)",
        ),
        ([1, 11], "scores: 11 at position 1 is outside 0–10"),
        ([1, 2.5, 7.5], "scores: 2 values are not whole numbers: 2.5, 7.5 (positions 1, 2)"),
        ([1, "abc"], "scores: 'abc' at position 1 is not a number"),
        (["7", 8], "scores: '7' at position 0 is not a number"),
        ([True, 9], "scores: True at position 0 is not a number"),
        ([1, float("inf")], "scores: inf at position 1 is not finite"),
        ([], "scores: no values"),
        ([None, float("nan")], "scores: no values left, all 2 are missing"),
        ("9 10 3", "scores: expected a sequence of numbers, got str"),
        (9, "scores: expected a sequence of numbers, got int"),
        ({"a": 9}, "scores: expected a sequence of numbers, got dict"),
        (np.array([[9, 10]]), "scores: expected one dimension, got shape (1, 2)"),
    ],
)
def test_it_refuses_bad_nps_scores(scores: object, message: str) -> None:
    with pytest.raises(AnalysisError) as caught:
        nps(scores)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_it_lists_only_the_first_bad_values() -> None:
    with pytest.raises(AnalysisError) as caught:
        nps([11] * 8)
    assert str(caught.value) == (
        "scores: 8 values are outside 0–10: 11, 11, 11, 11, 11, … (positions 0, 1, 2, 3, 4, …)"
    )


@pytest.mark.parametrize("confidence", [95, 0, 1, -0.5, True, "0.95", float("nan"), None])
def test_it_refuses_a_bad_confidence(confidence: object) -> None:
    with pytest.raises(
        AnalysisError, match="confidence: must be a number strictly between 0 and 1"
    ):
        nps(WORKED, confidence=confidence)  # type: ignore[arg-type]


def test_it_refuses_an_unknown_nps_method() -> None:
    with pytest.raises(
        AnalysisError, match="method: must be 'wald' or 'adjusted_wald', got 'exact'"
    ):
        nps(WORKED, method="exact")  # type: ignore[arg-type]


# --- CSAT ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("satisfied", "n", "low", "high"),
    [
        # Newcombe (1998a), Table I, method 3 (Wilson score, no continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_it_matches_published_wilson_intervals(
    satisfied: int, n: int, low: float, high: float
) -> None:
    result = csat(answers(satisfied, n))
    assert result.value == pytest.approx(100 * satisfied / n)
    assert result.low == pytest.approx(100 * low, abs=0.005)
    assert result.high == pytest.approx(100 * high, abs=0.005)
    closed_low, closed_high = wilson_roots(satisfied, n)
    assert result.low == pytest.approx(100 * closed_low, abs=1e-9)
    assert result.high == pytest.approx(100 * closed_high, abs=1e-9)


def test_it_matches_the_wilson_closed_form_at_other_levels() -> None:
    z99 = stats.norm.ppf(0.995)
    low, high = wilson_interval(37, 50, confidence=0.99)
    assert (low, high) == pytest.approx(wilson_roots(37, 50, z99), abs=1e-12)


def test_it_reports_csat_details() -> None:
    result = csat([5, 4, 3, 1, None, 5])
    assert isinstance(result, CsatEstimate)
    assert (result.satisfied, result.n, result.missing, result.scale) == (3, 5, 1, 5)
    assert result.satisfied_scores == (4, 5)
    assert result.value == pytest.approx(60)
    assert result.mean == pytest.approx(18 / 5)


def test_it_keeps_csat_within_bounds_when_everyone_is_satisfied() -> None:
    result = csat([5] * 12)
    assert result.value == 100 and result.high == 100 and 0 < result.low < 100


def test_it_supports_other_scales_and_satisfied_sets() -> None:
    seven = csat([7, 6, 5, 1], scale=7)
    assert seven.satisfied_scores == (6, 7) and seven.satisfied == 2
    only_top = csat([5, 4, 4, 1], satisfied=[5])
    assert only_top.satisfied == 1 and only_top.value == 25


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scores": [0, 5]}, "scores: 0 at position 0 is outside 1–5"),
        ({"scores": [5], "scale": 1}, "scale: must be a whole number of at least 2, got 1"),
        ({"scores": [5], "scale": 5.5}, "scale: must be a whole number of at least 2, got 5.5"),
        ({"scores": [5], "satisfied": [6]}, "satisfied: must list scores from 1 to 5, got [6]"),
        ({"scores": [5], "satisfied": []}, "satisfied: must list scores from 1 to 5, got []"),
        ({"scores": [5], "satisfied": "45"}, "satisfied: expected a sequence of scores, got '45'"),
    ],
)
def test_it_refuses_bad_csat_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(AnalysisError) as caught:
        csat(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_it_refuses_wilson_counts_that_do_not_fit() -> None:
    with pytest.raises(AnalysisError, match="got 5 of 3"):
        wilson_interval(5, 3)


# --- Mean and CES ----------------------------------------------------------------------------


def test_it_matches_the_published_t_interval() -> None:
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) → mean difference 1.58,
    # 95 percent confidence interval 0.7001142 2.4598858 (sign as group 2 − group 1).
    differences = [b - a for a, b in zip(SLEEP_1, SLEEP_2, strict=True)]
    result = mean_score(differences)
    assert isinstance(result, MeanEstimate)
    assert result.value == pytest.approx(1.58)
    assert result.low == pytest.approx(0.7001142, abs=1e-7)
    assert result.high == pytest.approx(2.4598858, abs=1e-7)
    assert result.sd == pytest.approx(np.std(differences, ddof=1))


def test_it_agrees_with_scipy_t_interval() -> None:
    values = np.random.default_rng(7).normal(3.2, 1.1, size=37)
    result = mean_score(values, confidence=0.9)
    low, high = stats.t.interval(0.9, 36, loc=values.mean(), scale=stats.sem(values))
    assert (result.low, result.high) == pytest.approx((low, high), abs=1e-12)


def test_it_gives_a_zero_width_interval_for_constant_values() -> None:
    result = mean_score([4, 4, 4, None])
    assert (result.value, result.low, result.high, result.missing) == (4, 4, 4, 1)


def test_it_refuses_a_mean_of_one_value() -> None:
    with pytest.raises(AnalysisError, match="values: a t interval needs at least 2 values, got 1"):
        mean_score([3.5, None])


def test_it_refuses_non_numbers_in_a_mean() -> None:
    with pytest.raises(AnalysisError, match=r"values: 2 values are not finite: inf, -inf"):
        mean_score([1.0, math.inf, -math.inf])


def test_it_computes_ces_with_the_agree_share() -> None:
    scores = [7, 6, 5, 4, 3, 1, None, 7]
    result = ces(scores)
    assert isinstance(result, CesEstimate)
    used = [s for s in scores if s is not None]
    assert (result.n, result.missing, result.scale) == (7, 1, 7)
    assert result.value == pytest.approx(np.mean(used))
    assert result.agree == 4  # 5, 6, 7 agree on the 7-point scale
    assert result.agree_pct == pytest.approx(400 / 7)
    low, high = stats.t.interval(0.95, 6, loc=np.mean(used), scale=stats.sem(used))
    assert (result.low, result.high) == pytest.approx((low, high))


def test_it_computes_ces_on_a_five_point_scale() -> None:
    result = ces([5, 4, 3, 2], scale=5)
    assert result.agree == 2


def test_it_refuses_ces_outside_the_scale() -> None:
    with pytest.raises(AnalysisError, match="scores: 8 at position 1 is outside 1–7"):
        ces([7, 8])
    with pytest.raises(AnalysisError, match="scores: a t interval needs at least 2 values"):
        ces([7])


# --- Comparisons -----------------------------------------------------------------------------


def test_it_matches_the_published_welch_test() -> None:
    # R: t.test(extra ~ group, data = sleep) → t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent confidence interval -3.3654832 0.2054832 (group 1 − group 2).
    result = compare(SLEEP_1, SLEEP_2, metric="mean")
    assert isinstance(result, Comparison)
    assert result.value == pytest.approx(1.58)
    assert result.low == pytest.approx(-0.2054832, abs=1e-7)
    assert result.high == pytest.approx(3.3654832, abs=1e-7)
    assert result.statistic == pytest.approx(1.8608, abs=1e-4)
    assert result.df == pytest.approx(17.776, abs=1e-3)
    assert result.p_value == pytest.approx(0.07939, abs=1e-5)
    assert not result.significant
    assert compare(SLEEP_1, SLEEP_2, metric="mean", confidence=0.9).significant
    assert result.a == mean_score(SLEEP_1) and result.b == mean_score(SLEEP_2)


def test_it_matches_the_published_newcombe_interval() -> None:
    # Newcombe (1998b), example (a): 56/70 vs 48/80, method 10 gives 0.0524 to 0.3339.
    result = compare(answers(48, 80), answers(56, 70), metric="csat")
    assert result.value == pytest.approx(20)
    assert result.low == pytest.approx(5.24, abs=0.005)
    assert result.high == pytest.approx(33.39, abs=0.005)
    # The pooled z test is Pearson's chi-square without continuity correction: z² = X².
    chi2, p_value, _, _ = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert result.statistic**2 == pytest.approx(chi2)
    assert result.p_value == pytest.approx(p_value)
    assert result.significant and result.df is None


def test_it_compares_two_nps_with_a_z_test() -> None:
    a = [10] * 30 + [8] * 40 + [3] * 30  # NPS 0, Var 0.6
    b = [10] * 50 + [8] * 30 + [3] * 20  # NPS 30, Var 0.7 − 0.09 = 0.61
    result = compare(a, b, metric="nps")
    se = 100 * math.sqrt(0.6 / 100 + 0.61 / 100)
    assert result.value == pytest.approx(30)
    assert result.statistic == pytest.approx(30 / se)
    assert result.p_value == pytest.approx(2 * stats.norm.sf(30 / se))
    assert (result.low, result.high) == pytest.approx((30 - Z95 * se, 30 + Z95 * se))
    assert result.significant
    assert isinstance(result.a, NpsEstimate) and result.a.value == pytest.approx(0)


def test_it_gives_the_direction_of_the_difference() -> None:
    worse = [10] * 10 + [3] * 30
    better = [10] * 30 + [3] * 10
    up = compare(worse, better)
    down = compare(better, worse)
    assert up.value > 0 and up.low > 0 and up.significant
    assert down.value == pytest.approx(-up.value) and down.high < 0 and down.significant
    assert down.p_value == pytest.approx(up.p_value)


def test_it_finds_no_difference_between_identical_groups() -> None:
    same = compare(WORKED, WORKED)
    assert (same.value, same.p_value, same.significant) == (0, 1, False)
    assert compare([10] * 5, [9] * 5).p_value == 1  # no spread, no difference
    assert compare([4, 4], [4, 4, 4], metric="mean").p_value == 1


def test_it_refuses_to_test_groups_without_spread_that_differ() -> None:
    with pytest.raises(AnalysisError, match="no sampling error"):
        compare([10] * 5, [0] * 5)
    with pytest.raises(AnalysisError, match="no sampling error"):
        compare([1, 1], [2, 2], metric="mean")


def test_it_names_the_group_with_bad_input() -> None:
    with pytest.raises(AnalysisError, match="^b: 11 at position 0 is outside 0–10$"):
        compare(WORKED, [11])
    with pytest.raises(AnalysisError, match="^a: a t interval needs at least 2 values, got 1$"):
        compare([1], [1, 2], metric="mean")
    with pytest.raises(AnalysisError, match="metric: must be 'nps', 'mean' or 'csat', got 'ces'"):
        compare(WORKED, WORKED, metric="ces")  # type: ignore[arg-type]


# --- Results ---------------------------------------------------------------------------------


def test_it_returns_frozen_dataclasses_with_as_dict() -> None:
    result = nps(WORKED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = 0  # type: ignore[misc]
    as_dict = result.as_dict()
    assert {"value", "low", "high", "n", "confidence", "missing"} <= as_dict.keys()
    comparison = compare(WORKED, WORKED).as_dict()
    assert comparison["a"]["promoters"] == 3 and comparison["p_value"] == 1


def test_it_is_deterministic() -> None:
    scores = list(np.random.default_rng(3).integers(0, 11, size=200))
    assert nps(scores) == nps(list(scores))
    assert compare(scores[:100], scores[100:]) == compare(scores[:100], scores[100:])


def test_compare_estimates_matches_compare_on_raw_answers():
    import numpy as np

    from phare.analysis import (
        compare,
        compare_estimates,
        csat,
        mean_score,
        nps,
    )

    rng = np.random.default_rng(7)
    a = rng.integers(0, 11, 140).tolist()
    b = rng.integers(2, 11, 170).tolist()
    for metric, estimate in (("nps", nps), ("mean", mean_score)):
        raw = compare(a, b, metric=metric)
        fast = compare_estimates(estimate(a), estimate(b))
        for field in ("value", "low", "high", "p_value", "statistic"):
            assert getattr(fast, field) == pytest.approx(getattr(raw, field), rel=1e-9), field
        assert fast.significant == raw.significant and fast.metric == metric
    ca = [int(x) for x in rng.integers(1, 6, 70)]
    cb = [int(x) for x in rng.integers(2, 6, 80)]
    raw = compare(ca, cb, metric="csat")
    fast = compare_estimates(csat(ca), csat(cb))
    assert (fast.value, fast.low, fast.high, fast.p_value) == pytest.approx(
        (raw.value, raw.low, raw.high, raw.p_value))


def test_compare_estimates_refuses_mixed_kinds():
    from phare.analysis import AnalysisError, compare_estimates, csat, nps

    with pytest.raises(AnalysisError, match="NpsEstimate"):
        compare_estimates(nps([1, 9, 10]), csat([1, 5, 4]))
