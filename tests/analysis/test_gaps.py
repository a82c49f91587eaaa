from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from phare.analysis.errors import AnalysisError
from phare.analysis.gaps import COLUMNS, holm, paired_gaps

NA = np.nan

# Six respondents rate three alternatives on four attributes (1-5; NaN = "I don't know it").
WIDE: dict[tuple[str, str], list[float]] = {
    ("speed", "it"): [5, 4, 5, 4, 5, 4],
    ("speed", "saas"): [3, 3, 3, 2, 3, 4],
    ("speed", "diy"): [2, 3, 2, NA, 3, 2],
    ("price", "it"): [2, 2, 3, 1, 2, 2],
    ("price", "saas"): [4, 4, 3, NA, 4, 5],
    ("price", "diy"): [4, 5, 4, 4, NA, 5],
    ("security", "it"): [3, 4, 3, 4, 3, NA],
    ("security", "saas"): [4, 3, 3, 4, 3, 3],
    ("security", "diy"): [4, 3, 3, 4, 3, 3],
    ("ease", "it"): [4, NA, NA, NA, NA, NA],
    ("ease", "saas"): [3, NA, NA, NA, NA, 2],
    ("ease", "diy"): [NA, NA, NA, NA, NA, NA],
}


def _holm_by_statsmodels(p_values: object) -> np.ndarray:
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    return np.asarray(multitest.multipletests(p_values, method="holm")[1])


def _long(wide: dict[tuple[str, str], list[float]]) -> pd.DataFrame:
    rows = [
        {"respondent": r, "alternative": alternative, "attribute": attribute, "rating": value}
        for (attribute, alternative), values in wide.items()
        for r, value in enumerate(values)
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def ratings() -> pd.DataFrame:
    return _long(WIDE)


def _rated(attribute: str, alternative: str) -> np.ndarray:
    values = np.array(WIDE[(attribute, alternative)], dtype=float)
    return values[~np.isnan(values)]


def test_it_compares_the_reference_with_the_best_other_alternative(ratings):
    result = paired_gaps(ratings, reference="it")

    assert list(result.index) == ["speed", "price", "security", "ease"]
    assert result.index.name == "attribute"
    assert list(result.columns) == list(COLUMNS)
    assert result["best"].to_list() == ["saas", "diy", "saas", "saas"]  # security: a tie
    assert result["reference_n"].to_list() == [6, 6, 5, 1]
    assert result["best_n"].to_list() == [6, 5, 6, 2]
    assert result["n_pairs"].to_list() == [6, 5, 5, 1]
    assert result.loc["price", "best_mean"] == pytest.approx(4.4)
    assert result.loc["security", "best_mean"] == pytest.approx(10 / 3)
    assert result.loc["ease", "reference_mean"] == 4
    assert np.isnan(result.loc["ease", "reference_low"])  # one rating: no interval

    for attribute in ("speed", "price", "security"):
        own = _rated(attribute, "it")
        low, high = stats.t.interval(0.95, len(own) - 1, loc=own.mean(), scale=stats.sem(own))
        row = result.loc[attribute]
        assert row["reference_mean"] == pytest.approx(own.mean())
        assert (row["reference_low"], row["reference_high"]) == pytest.approx((low, high))
        best = _rated(attribute, row["best"])
        low, high = stats.t.interval(0.95, len(best) - 1, loc=best.mean(), scale=stats.sem(best))
        assert (row["best_low"], row["best_high"]) == pytest.approx((low, high))


def test_it_tests_the_paired_difference_as_scipy_does(ratings):
    result = paired_gaps(ratings, reference="it")

    for attribute, best in (("speed", "saas"), ("price", "diy"), ("security", "saas")):
        pairs = pd.DataFrame({"it": WIDE[(attribute, "it")], "best": WIDE[(attribute, best)]})
        pairs = pairs.dropna()
        test = stats.ttest_rel(pairs["it"], pairs["best"])
        interval = test.confidence_interval(0.95)
        row = result.loc[attribute]
        assert row["difference"] == pytest.approx((pairs["it"] - pairs["best"]).mean())
        assert (row["difference_low"], row["difference_high"]) == pytest.approx(
            (interval.low, interval.high)
        )
        assert row["p_value"] == pytest.approx(test.pvalue)
    assert result.loc["speed", "difference"] == pytest.approx(1.5)
    assert result.loc["price", "difference"] == pytest.approx(-2.4)
    assert result.loc["security", "p_value"] == pytest.approx(1)


def test_it_adjusts_p_values_by_holm_and_gives_verdicts(ratings):
    result = paired_gaps(ratings, reference="it")

    tested = result.loc[["speed", "price", "security"]]
    np.testing.assert_allclose(tested["p_adjusted"], _holm_by_statsmodels(tested["p_value"]))
    assert result.loc["speed", "p_adjusted"] > result.loc["speed", "p_value"]
    assert result["verdict"].to_list() == ["wins", "loses", "no_difference", "too_few"]
    ease = result.loc["ease"]
    assert np.isnan(ease["p_value"]) and np.isnan(ease["p_adjusted"])
    assert np.isnan(ease["difference"])


def test_it_uses_the_confidence_for_the_verdict(ratings):
    strict = paired_gaps(ratings, reference="it", confidence=0.999)

    for attribute in ("speed", "price"):
        assert 0.001 < strict.loc[attribute, "p_adjusted"] < 0.05
        assert strict.loc[attribute, "verdict"] == "no_difference"
    # A wider interval at 99.9%.
    usual = paired_gaps(ratings, reference="it")
    assert strict.loc["speed", "difference_low"] < usual.loc["speed", "difference_low"]


def test_it_gives_p_zero_when_every_pair_differs_by_the_same_amount():
    frame = _long({("speed", "it"): [4, 5, 3], ("speed", "saas"): [3, 4, 2]})
    result = paired_gaps(frame, reference="it")

    row = result.loc["speed"]
    assert row["p_value"] == 0 and row["p_adjusted"] == 0
    assert (row["difference"], row["difference_low"], row["difference_high"]) == (1, 1, 1)
    assert row["verdict"] == "wins"


def test_it_matches_statsmodels_holm_on_many_values():
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2])
    # By hand (and statsmodels 0.15): 0.005 × 7, 0.01 × 6, 0.03 × 5, 0.04 × 4, then running max.
    np.testing.assert_allclose(holm(p), [0.06, 0.16, 0.15, 0.035, 0.5, 0.16, 0.4])
    np.testing.assert_allclose(holm(p), _holm_by_statsmodels(p))
    assert holm(np.array([])).size == 0


def test_it_picks_the_best_among_alternatives_rated_by_min_n_people(ratings):
    # On price, diy and saas have 5 ratings each; on ease, saas has 2: no best for either.
    result = paired_gaps(ratings, reference="it", min_n=6)

    assert result["best"].to_list() == ["saas", None, "saas", None]
    assert result.loc["price", "verdict"] == "too_few"
    with pytest.raises(AnalysisError, match="min_n: must be a whole number of at least 1"):
        paired_gaps(ratings, reference="it", min_n=0)


def test_it_keeps_an_attribute_no_other_alternative_rated():
    frame = _long({("speed", "it"): [4, 5, 3], ("speed", "saas"): [3, 4, 2],
                   ("tone", "it"): [4, 4, 5], ("tone", "saas"): [NA, NA, NA]})
    result = paired_gaps(frame, reference="it")

    tone = result.loc["tone"]
    assert tone["best"] is None
    assert (tone["best_n"], tone["n_pairs"], tone["verdict"]) == (0, 0, "too_few")
    assert tone["reference_mean"] == pytest.approx(13 / 3)


@pytest.mark.parametrize(
    ("change", "reference", "message"),
    [
        (lambda f: f.drop(columns=["rating", "attribute"]), "it",
         "missing column(s) ['attribute', 'rating']"),
        (lambda f: f, "cloud", "'cloud' is not an alternative of the ratings"),
        (lambda f: f.assign(rating=f["rating"].where(f["alternative"] != "it")), "it",
         "'it' has no rating on any attribute"),
        (lambda f: f.assign(rating=f["rating"].astype(object).where(f.index != 7, "good")), "it",
         "row 7, rating is not a number: 'good'"),
        (lambda f: f.assign(rating=f["rating"].where(f.index != 8, np.inf)), "it",
         "row 8, rating is infinite"),
        (lambda f: pd.concat([f, f.iloc[[2]]], ignore_index=True), "it",
         "row 72 rates again (respondent, alternative, attribute) = (2, 'it', 'speed')"),
        (lambda f: f.iloc[0:0], "it", "ratings: no rows"),
    ],
)
def test_it_refuses_ratings_it_cannot_use(ratings, change, reference, message):
    with pytest.raises(AnalysisError) as error:
        paired_gaps(change(ratings), reference=reference)
    assert message in str(error.value)


def test_it_refuses_a_confidence_outside_zero_and_one(ratings):
    with pytest.raises(AnalysisError, match="confidence"):
        paired_gaps(ratings, reference="it", confidence=95)
