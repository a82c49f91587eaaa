"""The effect of an action: difference-in-differences and holdout lift against references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from phare.analysis import AnalysisError, lift

# Student's sleep data (Cushny & Peebles), as in R's ``datasets::sleep``.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def panel(patterns: dict[tuple[int, int], int]) -> tuple[list[int], list[int]]:
    """Before and after values of people, ``n`` of each (before, after) pattern."""
    before: list[int] = []
    after: list[int] = []
    for (b, a), n in patterns.items():
        before += [b] * n
        after += [a] * n
    return before, after


# 300 people reached and 400 not: active on a service in the 30 days before and after.
TREATED = panel({(0, 0): 180, (0, 1): 33, (1, 1): 80, (1, 0): 7})
CONTROL = panel({(0, 0): 250, (0, 1): 20, (1, 1): 120, (1, 0): 10})


def clustered_ols(tb, ta, cb, ca, confidence=0.95):
    """OLS of ``y ~ treated * after`` on the stacked panel, with CR1 standard errors clustered
    by person (statsmodels' ``cov_type="cluster"``: G/(G−1)·(N−1)/(N−K), normal quantile)."""
    rows = []
    for group, (before, after) in ((1, (tb, ta)), (0, (cb, ca))):
        for person, (b, a) in enumerate(zip(before, after, strict=True)):
            key = (group, person)
            rows += [(key, group, 0, b), (key, group, 1, a)]
    x = np.array([[1, g, t, g * t] for _, g, t, _ in rows], dtype=float)
    y = np.array([v for *_, v in rows], dtype=float)
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    resid = y - x @ beta
    meat = np.zeros((4, 4))
    for i in range(0, len(rows), 2):  # a person's two rows are consecutive
        score = x[i:i + 2].T @ resid[i:i + 2]
        meat += np.outer(score, score)
    clusters, n, k = len(rows) // 2, len(rows), 4
    cov = bread @ meat @ bread * clusters / (clusters - 1) * (n - 1) / (n - k)
    se = math.sqrt(cov[3, 3])
    z = stats.norm.ppf((1 + confidence) / 2)
    return beta[3], beta[3] - z * se, beta[3] + z * se


def test_it_gives_the_mean_change_of_the_reached_minus_the_others():
    result = lift.did([0, 0, 1, 0], [1, 1, 1, 0], [0, 1, 0], [0, 1, 1])
    # Reached: changes 1, 1, 0, 0 (mean 0.5); others: 0, 0, 1 (mean 1/3).
    assert result.kind == "did" and result.method == "welch"
    assert result.estimate == pytest.approx(0.5 - 1 / 3)
    assert (result.treated, result.control) == (pytest.approx(0.5), pytest.approx(1 / 3))
    assert (result.treated_before, result.control_before) == (0.25, pytest.approx(1 / 3))
    assert (result.n_treated, result.n_control) == (4, 3)
    assert result.binary
    assert result.low < result.estimate < result.high


def test_it_gives_welchs_interval_on_the_changes_as_r_does():
    # With zeros before, the changes are the sleep data: R's t.test(extra ~ group, data =
    # sleep) gives 1.58 [−0.2054832, 3.3654832] for group 2 − group 1, df = 17.776.
    result = lift.did([0] * 10, SLEEP_2, [0] * 10, SLEEP_1)
    assert result.estimate == pytest.approx(1.58)
    assert result.low == pytest.approx(-0.2054832, abs=1e-7)
    assert result.high == pytest.approx(3.3654832, abs=1e-7)
    assert result.df == pytest.approx(17.776, abs=1e-3)
    assert not result.binary


def test_it_agrees_with_scipys_welch_test_on_the_changes():
    tb, ta = TREATED
    cb, ca = CONTROL
    result = lift.did(tb, ta, cb, ca, confidence=0.9)
    changes_t = np.subtract(ta, tb)
    changes_c = np.subtract(ca, cb)
    ci = stats.ttest_ind(changes_t, changes_c, equal_var=False).confidence_interval(0.9)
    assert (result.low, result.high) == (pytest.approx(ci.low), pytest.approx(ci.high))


def test_it_is_the_interaction_of_the_regression_with_person_clustered_errors():
    tb, ta = TREATED
    cb, ca = CONTROL
    result = lift.did(tb, ta, cb, ca)
    estimate, low, high = clustered_ols(tb, ta, cb, ca)
    assert result.estimate == pytest.approx(estimate, abs=1e-12)
    assert result.estimate == pytest.approx(0.08666666666666667 - 0.025)
    # The same interval up to the cluster-robust estimator's small-sample factors and its
    # normal quantile: within 0.0002 of a 0.1-wide interval.
    assert result.low == pytest.approx(low, abs=2e-4)
    assert result.high == pytest.approx(high, abs=2e-4)
    # statsmodels 0.15, ols("y ~ treated * after").fit(cov_type="cluster",
    # cov_kwds={"groups": person}) on this panel: 0.0616667 [0.0133579, 0.1099755].
    assert (low, high) == (pytest.approx(0.0133579, abs=1e-7), pytest.approx(0.1099755, abs=1e-7))


def test_it_matches_statsmodels_when_it_is_installed():
    pd = pytest.importorskip("pandas")
    smf = pytest.importorskip("statsmodels.formula.api")
    tb, ta = TREATED
    cb, ca = CONTROL
    rows = [(f"t{i}", 1, t, v) for i, pair in enumerate(zip(tb, ta, strict=True))
            for t, v in enumerate(pair)]
    rows += [(f"c{i}", 0, t, v) for i, pair in enumerate(zip(cb, ca, strict=True))
             for t, v in enumerate(pair)]
    data = pd.DataFrame(rows, columns=["person", "treated", "after", "y"])
    fit = smf.ols("y ~ treated * after", data).fit(cov_type="cluster",
                                                   cov_kwds={"groups": data["person"]})
    result = lift.did(tb, ta, cb, ca)
    assert result.estimate == pytest.approx(fit.params["treated:after"], abs=1e-12)
    low, high = fit.conf_int().loc["treated:after"]
    assert result.low == pytest.approx(low, abs=2e-4)
    assert result.high == pytest.approx(high, abs=2e-4)


def test_it_drops_people_with_a_missing_value_and_counts_them():
    result = lift.did([0, None, 1, 0], [1, 1, float("nan"), 0], [0, 1, 0], [0, 1, 1])
    assert result.n_treated == 2 and result.missing == 2
    assert result.treated == pytest.approx(0.5)


def test_it_gives_an_exact_difference_when_nobody_varies():
    result = lift.did([0, 0], [1, 1], [0, 0, 0], [0, 0, 0])
    assert (result.estimate, result.low, result.high, result.df) == (1.0, 1.0, 1.0, None)


@pytest.mark.parametrize(("args", "message"), [
    (([], [], [0, 1], [1, 1]), "treated: need at least 2 people"),
    (([0], [1], [0, 1], [1, 1]), "treated: need at least 2 people"),
    (([0, 1], [1, 1], [None, 1], [1, None]), "control: need at least 2 people"),
    (([0, 1, 1], [1, 1], [0, 1], [1, 1]), "treated_before, treated_after: must hold one value"),
    (([0, "x"], [1, 1], [0, 1], [1, 1]), "treated_before: 'x' at position 1 is not a number"),
    (([0, 1], [1, float("inf")], [0, 1], [1, 1]), "treated_after: inf at position 1"),
])
def test_it_refuses_what_it_cannot_use_naming_the_argument(args, message):
    with pytest.raises(AnalysisError, match=message):
        lift.did(*args)


def test_it_refuses_a_confidence_outside_zero_and_one():
    with pytest.raises(AnalysisError, match="confidence"):
        lift.holdout([1, 0], [0, 0], confidence=95)


# Newcombe (1998b), Table II, method 10 (hybrid score): the published worked examples.
NEWCOMBE = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE)
def test_it_gives_newcombes_hybrid_score_interval(counts, expected):
    x1, n1, x2, n2 = counts
    result = lift.holdout([1] * x1 + [0] * (n1 - x1), [1] * x2 + [0] * (n2 - x2))
    assert result.kind == "holdout" and result.method == "newcombe" and result.binary
    assert result.estimate == pytest.approx(x1 / n1 - x2 / n2)
    assert (result.low, result.high) == (pytest.approx(expected[0], abs=5e-5),
                                         pytest.approx(expected[1], abs=5e-5))
    assert (result.n_treated, result.n_control) == (n1, n2)


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE)
def test_it_gives_statsmodels_newcomb_interval_when_it_is_installed(counts, expected):
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    low, high = proportion.confint_proportions_2indep(*counts, method="newcomb",
                                                      compare="diff")
    assert lift.newcombe_interval(*counts) == (pytest.approx(low), pytest.approx(high))


def test_it_compares_means_with_welch_when_outcomes_are_not_zero_or_one():
    result = lift.holdout(SLEEP_2, SLEEP_1)
    assert result.method == "welch" and not result.binary
    assert (result.estimate, result.low, result.high) == (
        pytest.approx(1.58), pytest.approx(-0.2054832, abs=1e-7),
        pytest.approx(3.3654832, abs=1e-7))
    assert result.treated_before is None


def test_it_drops_missing_outcomes_of_a_holdout():
    result = lift.holdout([1, None, 0, 1], [0, 0, float("nan")])
    assert (result.n_treated, result.n_control, result.missing) == (3, 2, 2)
    assert result.estimate == pytest.approx(2 / 3)


@pytest.mark.parametrize(("treated", "control", "message"), [
    ([], [0, 1], "treated: need at least 1 person"),
    ([1, 0], [None], "control: need at least 1 person"),
    ([2.5], [1.0, 2.0], "treated: need at least 2 people"),
])
def test_it_refuses_empty_groups_of_a_holdout(treated, control, message):
    with pytest.raises(AnalysisError, match=message):
        lift.holdout(treated, control)
