"""Importance–performance analysis (Martilla & James 1977)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from phare.analysis.errors import AnalysisError
from phare.analysis.importance import (
    QUADRANTS,
    ImportancePerformanceResult,
    importance_performance,
)


def stated() -> pd.DataFrame:
    """Four attributes, one per quadrant, on a 1–5 scale; both means are 3.25."""
    return pd.DataFrame(
        {
            "attribute": ["response time", "courtesy", "opening hours", "brochures"],
            "importance": [4.5, 4.0, 2.0, 2.5],
            "performance": [2.0, 4.5, 2.5, 4.0],
        }
    )


def respondents() -> pd.DataFrame:
    """Six respondents' 1–5 ratings of four attributes and their overall satisfaction."""
    return pd.DataFrame(
        {
            "response time": [1, 1, 2, 2, 3, 2],  # tracks satisfaction, rated low
            "courtesy": [3, 4, 4, 5, 5, 4],  # tracks satisfaction, rated high
            "opening hours": [2, 1, 1, 2, 1, 2],  # unrelated, rated low
            "brochures": [5, 4, 5, 4, 5, 4],  # unrelated, rated high
            "satisfaction": [1, 2, 3, 4, 5, 3],
        }
    )


def quadrants(result: ImportancePerformanceResult) -> dict[str, str]:
    return dict(zip(result.table["attribute"], result.table["quadrant"], strict=True))


# --- stated importance -----------------------------------------------------------------------


def test_it_places_each_attribute_in_its_quadrant_around_the_means() -> None:
    result = importance_performance(stated(), rule="mean")

    assert quadrants(result) == {
        "response time": "concentrate_here",
        "courtesy": "keep_up_the_good_work",
        "opening hours": "low_priority",
        "brochures": "possible_overkill",
    }
    assert result.importance_line == pytest.approx(3.25)
    assert result.performance_line == pytest.approx(3.25)
    assert list(result.table.columns) == ["attribute", "importance", "performance", "quadrant"]
    assert (result.rule, result.importance_kind) == ("mean", "stated")


def test_it_uses_the_scale_midpoint_as_cross_hairs_with_the_midpoint_rule() -> None:
    # "phone line" sits between the midpoint (3) and the means (3.2): the rules disagree on it.
    frame = pd.concat(
        [
            stated(),
            pd.DataFrame({"attribute": ["phone line"], "importance": [3.1], "performance": [3.1]}),
        ],
        ignore_index=True,
    )

    by_mean = importance_performance(frame, rule="mean")
    by_midpoint = importance_performance(frame, rule="midpoint", scale=(1, 5))

    assert (by_midpoint.importance_line, by_midpoint.performance_line) == (3.0, 3.0)
    assert by_mean.importance_line == pytest.approx(3.22)
    assert quadrants(by_mean)["phone line"] == "low_priority"
    assert quadrants(by_midpoint)["phone line"] == "keep_up_the_good_work"
    for name in stated()["attribute"]:
        assert quadrants(by_mean)[name] == quadrants(by_midpoint)[name]


def test_it_counts_a_value_on_a_cross_hair_as_high() -> None:
    frame = pd.DataFrame(
        {
            "attribute": ["on both lines", "on the importance line", "on the performance line"],
            "importance": [3.0, 3.0, 1.0],
            "performance": [3.0, 1.0, 3.0],
        }
    )

    result = importance_performance(frame, rule="midpoint", scale=(1, 5))

    assert quadrants(result) == {
        "on both lines": "keep_up_the_good_work",
        "on the importance line": "concentrate_here",
        "on the performance line": "possible_overkill",
    }


def test_it_ignores_other_columns_and_keeps_the_attribute_order() -> None:
    frame = stated().assign(comment="free text")[
        ["comment", "performance", "attribute", "importance"]
    ]

    result = importance_performance(frame)

    assert list(result.table["attribute"]) == list(stated()["attribute"])
    assert set(result.table["quadrant"]) <= set(QUADRANTS)


# --- derived importance ----------------------------------------------------------------------


def test_it_derives_importance_as_the_correlation_with_the_outcome() -> None:
    frame = respondents()

    result = importance_performance(frame, importance="derived", outcome="satisfaction")

    table = result.table.set_index("attribute")
    for name in ["response time", "courtesy", "opening hours", "brochures"]:
        expected = np.corrcoef(frame[name], frame["satisfaction"])[0, 1]
        assert table.loc[name, "importance"] == pytest.approx(expected, abs=1e-12)
        assert table.loc[name, "performance"] == pytest.approx(frame[name].mean())
    assert quadrants(result) == {
        "response time": "concentrate_here",
        "courtesy": "keep_up_the_good_work",
        "opening hours": "low_priority",
        "brochures": "possible_overkill",
    }
    assert result.importance_line == pytest.approx(table["importance"].mean())
    assert result.performance_line == pytest.approx(3.0)
    assert result.importance_kind == "derived"


def test_it_uses_answered_pairs_for_the_correlation_and_all_answers_for_the_mean() -> None:
    frame = respondents().astype("float64")
    frame.loc[0, "courtesy"] = np.nan
    frame.loc[1, "satisfaction"] = np.nan

    result = importance_performance(frame, importance="derived", outcome="satisfaction")

    table = result.table.set_index("attribute")
    both = frame[["courtesy", "satisfaction"]].dropna()
    expected = np.corrcoef(both["courtesy"], both["satisfaction"])[0, 1]
    assert table.loc["courtesy", "importance"] == pytest.approx(expected, abs=1e-12)
    # Respondent 1 rated courtesy but not overall satisfaction: the rating still counts.
    assert table.loc["courtesy", "performance"] == pytest.approx(frame["courtesy"].mean())
    assert table.loc["courtesy", "performance"] == pytest.approx((4 + 4 + 5 + 5 + 4) / 5)


def test_it_puts_only_the_performance_line_at_the_midpoint_for_derived_importance() -> None:
    result = importance_performance(
        respondents(),
        rule="midpoint",
        importance="derived",
        outcome="satisfaction",
        scale=(1, 5),
    )

    assert result.performance_line == 3.0
    assert result.importance_line == pytest.approx(result.table["importance"].mean())


# --- input it cannot use ---------------------------------------------------------------------


def test_it_names_the_missing_columns_of_stated_input() -> None:
    with pytest.raises(AnalysisError, match=r"missing: 'performance'"):
        importance_performance(stated().drop(columns="performance"))


def test_it_names_attributes_listed_twice() -> None:
    frame = pd.concat([stated(), stated().iloc[[1]]], ignore_index=True)

    with pytest.raises(AnalysisError, match=r"more than once: 'courtesy'"):
        importance_performance(frame)


def test_it_names_attributes_whose_importance_is_missing() -> None:
    frame = stated()
    frame.loc[2, "importance"] = np.nan

    with pytest.raises(AnalysisError, match=r"importance missing or infinite for: 'opening hours'"):
        importance_performance(frame)


def test_it_rejects_a_missing_attribute_name() -> None:
    frame = stated()
    frame.loc[1, "attribute"] = None

    with pytest.raises(AnalysisError, match=r"attribute name missing on row\(s\) \[1\]"):
        importance_performance(frame)


def test_it_rejects_non_numeric_stated_values() -> None:
    frame = stated().assign(performance=["low", "high", "low", "high"])

    with pytest.raises(AnalysisError, match="non-numeric column: 'performance'"):
        importance_performance(frame)


def test_it_names_values_outside_the_scale() -> None:
    frame = stated()
    frame.loc[1, "performance"] = 7.0

    with pytest.raises(
        AnalysisError,
        match=r"performance has value\(s\) outside the scale "
        r"\(1 to 5\) for 'courtesy': 7",
    ):
        importance_performance(frame, rule="midpoint", scale=(1, 5))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"rule": "median"}, "unknown rule 'median'"),
        ({"rule": "midpoint"}, r"needs the rating scale"),
        ({"rule": "midpoint", "scale": (5, 1)}, "low < high"),
        ({"rule": "midpoint", "scale": (1, 5, 7)}, "pair of numbers"),
        ({"rule": "midpoint", "scale": ("one", "five")}, "pair of numbers"),
        ({"importance": "implicit"}, "unknown importance 'implicit'"),
        ({"outcome": "satisfaction"}, "outcome is only used with importance='derived'"),
    ],
)
def test_it_rejects_bad_arguments(arguments: dict, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        importance_performance(stated(), **arguments)


def test_it_needs_at_least_two_attributes() -> None:
    with pytest.raises(AnalysisError, match="at least 2 attributes, got 1"):
        importance_performance(stated().iloc[:1])


def test_it_rejects_an_empty_frame() -> None:
    with pytest.raises(AnalysisError, match="empty"):
        importance_performance(stated().iloc[0:0])


def test_it_rejects_something_that_is_not_a_frame() -> None:
    with pytest.raises(AnalysisError, match="DataFrame, got list"):
        importance_performance([1, 2, 3])  # type: ignore[arg-type]


def test_it_needs_the_outcome_for_derived_importance() -> None:
    with pytest.raises(AnalysisError, match="needs the outcome column"):
        importance_performance(respondents(), importance="derived")


def test_it_names_an_unknown_outcome() -> None:
    with pytest.raises(AnalysisError, match="unknown outcome column: 'overall'"):
        importance_performance(respondents(), importance="derived", outcome="overall")


def test_it_names_non_numeric_rating_columns() -> None:
    frame = respondents().assign(respondent=[f"r{i}" for i in range(6)])

    with pytest.raises(AnalysisError, match=r"non-numeric column\(s\): 'respondent'"):
        importance_performance(frame, importance="derived", outcome="satisfaction")


def test_it_names_a_constant_attribute() -> None:
    frame = respondents().assign(signage=3)

    with pytest.raises(AnalysisError, match=r"constant attribute\(s\).*'signage'"):
        importance_performance(frame, importance="derived", outcome="satisfaction")


def test_it_rejects_a_constant_outcome() -> None:
    frame = respondents().assign(satisfaction=4)

    with pytest.raises(AnalysisError, match="outcome 'satisfaction' is constant"):
        importance_performance(frame, importance="derived", outcome="satisfaction")


def test_it_names_attributes_with_too_few_answers() -> None:
    frame = respondents().astype("float64")
    frame.loc[2:, "brochures"] = np.nan

    with pytest.raises(AnalysisError, match=r"at least 3 respondents.*'brochures' \(2\)"):
        importance_performance(frame, importance="derived", outcome="satisfaction")


def test_it_names_ratings_outside_the_scale() -> None:
    frame = respondents()
    frame.loc[3, "courtesy"] = 10

    with pytest.raises(AnalysisError, match=r"courtesy has value\(s\) outside the scale"):
        importance_performance(
            frame, rule="midpoint", importance="derived", outcome="satisfaction", scale=(1, 5)
        )


def test_it_rejects_infinite_ratings() -> None:
    frame = respondents().astype("float64")
    frame.loc[0, "courtesy"] = np.inf

    with pytest.raises(AnalysisError, match=r"infinite value\(s\).*'courtesy'"):
        importance_performance(frame, importance="derived", outcome="satisfaction")
