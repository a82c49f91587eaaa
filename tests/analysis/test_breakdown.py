"""Breakdowns by group: estimates, order, suppression of small groups, refused input, speed."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from phare.analysis.breakdown import breakdown, suppressed_groups
from phare.analysis.errors import AnalysisError
from phare.analysis.estimates import Estimate, ces, csat, mean_score, nps

HIDDEN = ["n", "missing", "estimate", "low", "high"]


def survey(groups: dict[str, list[float | None]], column: str = "team") -> pd.DataFrame:
    rows = [(team, score) for team, scores in groups.items() for score in scores]
    return pd.DataFrame(rows, columns=[column, "score"])


def test_it_gives_one_row_per_group_sorted_by_key() -> None:
    frame = survey({"sales": [10, 9, 3, 7, 8], "ops": [10, 10, 10, 6, 9, 8]})
    result = breakdown(frame, by="team", metric="nps")
    assert list(result.columns) == ["team", "n", "missing", "estimate", "low", "high", "suppressed"]
    assert list(result["team"]) == ["ops", "sales"]
    ops = nps([10, 10, 10, 6, 9, 8])
    assert result.loc[0, "n"] == 6
    assert result.loc[0, "estimate"] == pytest.approx(ops.value)
    assert (result.loc[0, "low"], result.loc[0, "high"]) == pytest.approx((ops.low, ops.high))
    assert not result["suppressed"].any()


@pytest.mark.parametrize(
    ("metric", "estimate", "scores"),
    [
        ("csat", csat, [[5, 4, 3, 1, 2, 5], [1, 2, 5, 5, 5]]),
        ("ces", ces, [[7, 6, 5, 1, 2, 5], [1, 2, 7, 7, 3]]),
        ("mean", mean_score, [[0.5, 2.25, 3, 1, 2, 5], [10, 2, 7, 7, 3.5]]),
    ],
)
def test_it_matches_the_single_group_estimates(
    metric: str, estimate: Callable[[list[float]], Estimate], scores: list[list[float]]
) -> None:
    frame = survey({"a": scores[0], "b": scores[1]})
    result = breakdown(frame, by="team", metric=metric)
    for position, group in enumerate(scores):
        expected = estimate(group)
        row = result.loc[position]
        assert (row["estimate"], row["low"], row["high"]) == pytest.approx(
            (expected.value, expected.low, expected.high)
        )


def test_it_uses_the_scale_for_csat_and_ces() -> None:
    frame = survey({"a": [7, 6, 5, 1, 2], "b": [6, 6, 7, 7, 1]})
    result = breakdown(frame, by="team", metric="csat", scale=7)
    assert result.loc[0, "estimate"] == pytest.approx(csat([7, 6, 5, 1, 2], scale=7).value)
    with pytest.raises(AnalysisError, match="outside 1–5"):
        breakdown(frame, by="team", metric="csat")


def test_it_groups_by_several_columns() -> None:
    frame = pd.DataFrame(
        {
            "site": ["Lyon"] * 10 + ["Brest"] * 10,
            "team": (["b"] * 5 + ["a"] * 5) * 2,
            "score": list(range(11)) * 1 + [9] * 9,
        }
    )
    result = breakdown(frame, by=["site", "team"], metric="nps", min_group=1)
    assert list(zip(result["site"], result["team"], strict=True)) == [
        ("Brest", "a"),
        ("Brest", "b"),
        ("Lyon", "a"),
        ("Lyon", "b"),
    ]
    assert list(result["n"]) == [5, 5, 5, 5]


def test_it_counts_missing_answers_per_group() -> None:
    frame = survey({"a": [10, None, 9, 9, 8, 7], "b": [None, None, 1, 2, 3, 4, 5]})
    result = breakdown(frame, by="team", metric="nps")
    assert list(result["n"]) == [5, 5]
    assert list(result["missing"]) == [1, 2]


def test_it_suppresses_small_groups_and_hides_their_numbers() -> None:
    frame = survey({"a": [10] * 6, "b": [9] * 7, "c": [3] * 2, "d": [8] * 4})
    result = breakdown(frame, by="team", metric="nps", min_group=5)
    assert list(result["suppressed"]) == [False, False, True, True]
    for column in HIDDEN:
        assert result.loc[2:, column].isna().all()
        assert result.loc[:1, column].notna().all()
    assert result["n"].dtype == "Int64" and result["estimate"].dtype == "Float64"


def test_it_suppresses_a_second_group_when_only_one_is_small() -> None:
    # Without it, c's answers follow from the overall NPS and the groups shown.
    frame = survey({"a": [10] * 9, "b": [9] * 6, "c": [3] * 2, "d": [8] * 7})
    result = breakdown(frame, by="team", metric="nps", min_group=5)
    assert list(result["suppressed"]) == [False, True, True, False]  # b is the smallest shown
    assert result.loc[1, HIDDEN].isna().all()
    assert result.loc[3, "n"] == 7


def test_it_breaks_secondary_suppression_ties_by_order() -> None:
    frame = survey({"a": [10] * 6, "b": [9] * 6, "c": [3]})
    result = breakdown(frame, by="team", metric="nps", min_group=5)
    assert list(result["suppressed"]) == [True, False, True]


def test_it_hides_both_when_one_of_two_groups_is_small() -> None:
    frame = survey({"a": [10] * 20, "b": [3] * 2})
    assert breakdown(frame, by="team", metric="nps")["suppressed"].all()


def test_it_hides_a_shown_group_when_the_small_ones_together_are_still_small() -> None:
    # b and c together are 4 people: the total minus a would give their answers.
    frame = survey({"a": [10] * 6, "b": [9] * 2, "c": [3] * 2, "d": [8] * 7})
    assert list(breakdown(frame, by="team", metric="nps")["suppressed"]) == [
        True, True, True, False]


def test_it_needs_no_secondary_suppression_when_the_small_groups_make_a_group() -> None:
    frame = survey({"a": [10] * 6, "b": [9] * 3, "c": [3] * 3})
    assert list(breakdown(frame, by="team", metric="nps")["suppressed"]) == [False, True, True]


def test_it_ignores_groups_without_answers_for_secondary_suppression() -> None:
    frame = survey({"a": [10] * 6, "b": [9] * 6, "c": [None, None]})
    result = breakdown(frame, by="team", metric="nps")
    assert list(result["suppressed"]) == [False, False, True]


def test_it_decides_suppression_from_counts() -> None:
    assert list(suppressed_groups([6, 7, 2, 9], min_group=5)) == [True, False, True, False]
    assert list(suppressed_groups([6, 0, 9], min_group=5)) == [False, True, False]
    assert list(suppressed_groups([3], min_group=5)) == [True]
    assert list(suppressed_groups([1, 1], min_group=1)) == [False, False]


@pytest.mark.parametrize("min_group", [0, -3, 2.5, True, "5", None])
def test_it_refuses_a_bad_min_group(min_group: object) -> None:
    frame = survey({"a": [10] * 6})
    with pytest.raises(AnalysisError, match="min_group: must be a whole number of at least 1"):
        breakdown(frame, by="team", metric="nps", min_group=min_group)  # type: ignore[arg-type]
    with pytest.raises(AnalysisError, match="min_group"):
        suppressed_groups([6], min_group=min_group)  # type: ignore[arg-type]


def test_it_names_the_group_that_cannot_get_a_t_interval() -> None:
    frame = survey({"a": [1.0, 2.0], "b": [3.0]})
    with pytest.raises(AnalysisError) as caught:
        breakdown(frame, by="team", metric="mean", min_group=1)
    assert str(caught.value) == (
        "group 'b': column 'score': a t interval needs at least 2 values, got 1 (raise min_group)"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frame": [1, 2]}, "frame: expected a pandas DataFrame, got list"),
        ({"by": "site"}, "by: no column 'site' in the frame (columns: team, score)"),
        ({"by": []}, "by: expected a column name or a list of them, got []"),
        ({"by": ["team", "team"]}, "by: a column is listed twice in ['team', 'team']"),
        ({"metric": "median"}, "metric: must be 'nps', 'csat', 'ces' or 'mean', got 'median'"),
        ({"value": "rating"}, "value: no column 'rating' in the frame"),
        ({"value": "team"}, "value: 'team' is also a grouping column in by"),
        ({"confidence": 95}, "confidence: must be a number strictly between 0 and 1"),
        ({"metric": "csat", "scale": 1}, "scale: must be a whole number of at least 2, got 1"),
    ],
)
def test_it_refuses_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "frame": survey({"a": [10] * 6}),
        "by": "team",
        "metric": "nps",
    }
    arguments.update(kwargs)
    with pytest.raises(AnalysisError) as caught:
        breakdown(**arguments)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)


def test_it_refuses_a_grouping_column_named_like_a_result() -> None:
    frame = survey({"a": [10] * 6}, column="n")
    with pytest.raises(AnalysisError, match="by: column 'n' would clash with the result columns"):
        breakdown(frame, by="n", metric="nps")


def test_it_refuses_an_empty_frame() -> None:
    with pytest.raises(AnalysisError, match="frame: no rows"):
        breakdown(survey({}), by="team", metric="nps")


def test_it_names_bad_answers_by_row_position() -> None:
    numbers = survey({"a": [10, 9, 11, 8], "b": [12.0, 3.5]})
    with pytest.raises(AnalysisError) as caught:
        breakdown(numbers, by="team", metric="nps")
    assert str(caught.value) == "column 'score': 2 values are outside 0–10: 11, 12 (positions 2, 4)"
    text = survey({"a": [10, 9, 8], "b": [7, "x"]})
    with pytest.raises(AnalysisError) as caught:
        breakdown(text, by="team", metric="nps")
    assert str(caught.value) == "column 'score': 'x' at position 4 is not a number"


def test_it_refuses_a_column_without_answers() -> None:
    with pytest.raises(AnalysisError, match="column 'score': no values left, all 3 are missing"):
        breakdown(survey({"a": [None, None, None]}), by="team", metric="nps")


def test_it_keeps_rows_without_a_key_as_a_last_group() -> None:
    frame = pd.DataFrame({"team": ["b"] * 5 + [None] * 5 + ["a"] * 5, "score": [10] * 15})
    result = breakdown(frame, by="team", metric="nps")
    assert list(result["team"][:2]) == ["a", "b"] and pd.isna(result["team"][2])
    assert list(result["n"]) == [5, 5, 5]


def test_it_skips_unused_categories() -> None:
    teams = pd.Categorical(["a"] * 5 + ["b"] * 5, categories=["c", "b", "a"], ordered=True)
    result = breakdown(pd.DataFrame({"team": teams, "score": [9] * 10}), by="team", metric="nps")
    assert list(result["team"]) == ["b", "a"]  # category order, and no empty "c"
    assert not result["suppressed"].any()


def test_it_ignores_the_frame_index() -> None:
    frame = survey({"a": [10] * 5, "b": [3] * 5})
    frame.index = [7] * 10
    result = breakdown(frame, by="team", metric="nps")
    assert list(result["estimate"]) == [100, -100]


def test_it_is_deterministic_whatever_the_row_order() -> None:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {"team": rng.choice(list("edcba"), size=500), "score": rng.integers(0, 11, size=500)}
    )
    shuffled = frame.sample(frac=1, random_state=5)
    first = breakdown(frame, by="team", metric="nps")
    pd.testing.assert_frame_equal(first, breakdown(shuffled, by="team", metric="nps"))
    pd.testing.assert_frame_equal(first, breakdown(frame, by="team", metric="nps"))
    assert list(first["team"]) == list("abcde")


def test_it_breaks_down_a_million_rows_quickly() -> None:
    rng = np.random.default_rng(0)
    size = 1_000_000
    frame = pd.DataFrame(
        {
            "team": rng.integers(0, 100, size=size).astype(str),
            "score": rng.integers(0, 11, size=size),
        }
    )
    started = time.perf_counter()
    result = breakdown(frame, by="team", metric="nps")
    elapsed = time.perf_counter() - started
    assert len(result) == 100 and int(result["n"].sum()) == size
    assert elapsed < 2.0, f"breakdown took {elapsed:.2f}s"  # about 0.15 s on a laptop
