"""Importance–performance analysis (IPA), after Martilla & James (1977).

Martilla, J. A. & James, J. C. (1977), *Importance-performance analysis*, Journal of Marketing
41(1), 77–79. Each attribute of a service is placed on a grid by how important it is to users
and how well the service performs on it. Two cross-hairs split the grid into four quadrants:

==================  ===================  =========================
importance          performance          quadrant
==================  ===================  =========================
high                low                  ``"concentrate_here"``
high                high                 ``"keep_up_the_good_work"``
low                 low                  ``"low_priority"``
low                 high                 ``"possible_overkill"``
==================  ===================  =========================

A value exactly on a cross-hair counts as *high*.

Two kinds of input, chosen by ``importance``:

``"stated"`` — one row per attribute, with columns ``attribute``, ``importance`` and
    ``performance`` (for instance the mean "how important is…" and "how satisfied are you
    with…" ratings of each attribute). Other columns are ignored.

``"derived"`` — one row per respondent, one column per attribute holding that respondent's
    performance rating, and an ``outcome`` column (overall satisfaction). Every column other
    than ``outcome`` is an attribute: select the columns first (drop respondent ids). An
    attribute's derived importance is the Pearson correlation of its ratings with the outcome,
    over the respondents who answered both; its performance is the mean of all its answered
    ratings. Missing answers are allowed.

Cross-hairs, chosen by ``rule``:

``"mean"`` — the mean importance and the mean performance across the attributes (the
    "data-centred" grid).
``"midpoint"`` — the midpoint of the rating scale, ``scale=(low, high)``. With derived
    importance only the performance line can use it, since a correlation has no rating scale:
    the importance line is then the mean derived importance.

When ``scale`` is given, every rating (and stated importance) must lie within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from phare.analysis.errors import AnalysisError

Rule = Literal["mean", "midpoint"]
ImportanceKind = Literal["stated", "derived"]

#: The four quadrants, in the order Martilla & James number them (I to IV).
QUADRANTS: tuple[str, ...] = (
    "concentrate_here",
    "keep_up_the_good_work",
    "low_priority",
    "possible_overkill",
)

_STATED_COLUMNS = ("attribute", "importance", "performance")
# A correlation from two or fewer pairs is ±1 whatever the data; three is the least that means
# anything.
_MIN_PAIRS = 3


@dataclass(frozen=True)
class ImportancePerformanceResult:
    """Attributes placed on the importance–performance grid, and the grid's cross-hairs."""

    table: pd.DataFrame
    """One row per attribute: attribute, importance, performance, quadrant."""
    importance_line: float
    performance_line: float
    rule: str
    importance_kind: str
    """``"stated"`` or ``"derived"`` (Pearson correlation with the outcome)."""


def importance_performance(
    frame: pd.DataFrame,
    *,
    rule: Rule = "mean",
    importance: ImportanceKind = "stated",
    outcome: str | None = None,
    scale: tuple[float, float] | None = None,
) -> ImportancePerformanceResult:
    """Place each attribute in its importance–performance quadrant (Martilla & James 1977).

    See the module documentation for the two input shapes (``importance="stated"`` or
    ``"derived"``), the two cross-hair rules and how ties are classified. Raises
    :class:`AnalysisError` for input it cannot use, saying which columns or attributes.
    """
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisError(
            f"importance–performance analysis needs a pandas DataFrame, got {type(frame).__name__}"
        )
    if rule not in ("mean", "midpoint"):
        raise AnalysisError(f"unknown rule {rule!r}: use 'mean' or 'midpoint'")
    bounds = _check_scale(scale, rule)
    if frame.empty:
        raise AnalysisError("the frame is empty: no rows to analyse")

    if importance == "stated":
        if outcome is not None:
            raise AnalysisError("outcome is only used with importance='derived'")
        table = _stated_table(frame, bounds)
    elif importance == "derived":
        if outcome is None:
            raise AnalysisError("importance='derived' needs the outcome column's name")
        table = _derived_table(frame, outcome, bounds)
    else:
        raise AnalysisError(f"unknown importance {importance!r}: use 'stated' or 'derived'")

    if len(table) < 2:
        raise AnalysisError(
            f"importance–performance analysis needs at least 2 attributes, got {len(table)}"
        )
    if rule == "midpoint":
        assert bounds is not None  # _check_scale demands it for this rule
        midpoint = (bounds[0] + bounds[1]) / 2
        performance_line = midpoint
        importance_line = midpoint if importance == "stated" else float(table["importance"].mean())
    else:
        importance_line = float(table["importance"].mean())
        performance_line = float(table["performance"].mean())

    high_importance = table["importance"] >= importance_line
    high_performance = table["performance"] >= performance_line
    table["quadrant"] = np.select(
        [
            high_importance & ~high_performance,
            high_importance & high_performance,
            ~high_importance & ~high_performance,
        ],
        list(QUADRANTS[:3]),
        default=QUADRANTS[3],
    )
    return ImportancePerformanceResult(
        table=table,
        importance_line=importance_line,
        performance_line=performance_line,
        rule=rule,
        importance_kind=importance,
    )


def _check_scale(scale: tuple[float, float] | None, rule: str) -> tuple[float, float] | None:
    if scale is None:
        if rule == "midpoint":
            raise AnalysisError("rule='midpoint' needs the rating scale, e.g. scale=(1, 5)")
        return None
    try:
        low, high = (float(bound) for bound in scale)
    except (TypeError, ValueError):
        raise AnalysisError(f"scale must be a pair of numbers (low, high), got {scale!r}") from None
    if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
        raise AnalysisError(f"scale must be (low, high) with low < high, got {scale!r}")
    return low, high


def _stated_table(frame: pd.DataFrame, bounds: tuple[float, float] | None) -> pd.DataFrame:
    missing_columns = [name for name in _STATED_COLUMNS if name not in frame.columns]
    if missing_columns:
        raise AnalysisError(
            f"stated importance needs the columns 'attribute', 'importance', 'performance'; "
            f"missing: {_quoted(missing_columns)}"
        )
    table = frame.loc[:, list(_STATED_COLUMNS)].reset_index(drop=True)
    if table["attribute"].isna().any():
        rows = [int(i) for i in np.flatnonzero(table["attribute"].isna())]
        raise AnalysisError(f"attribute name missing on row(s) {rows}")
    duplicates = sorted({str(name) for name in table["attribute"][table["attribute"].duplicated()]})
    if duplicates:
        raise AnalysisError(f"attributes listed more than once: {_quoted(duplicates)}")
    for column in ("importance", "performance"):
        if not _is_real(table[column]):
            raise AnalysisError(f"non-numeric column: {column!r}")
        values = table[column].astype("float64")
        unusable = table["attribute"][~np.isfinite(values)].tolist()
        if unusable:
            raise AnalysisError(f"{column} missing or infinite for: {_quoted(unusable)}")
        table[column] = values
        if bounds is not None:
            _check_within(table[column], table["attribute"], bounds, column)
    return table


def _derived_table(
    frame: pd.DataFrame, outcome: str, bounds: tuple[float, float] | None
) -> pd.DataFrame:
    if outcome not in frame.columns:
        raise AnalysisError(f"unknown outcome column: {outcome!r}")
    attributes = [name for name in frame.columns if name != outcome]
    if not attributes:
        raise AnalysisError(f"no attribute columns besides the outcome {outcome!r}")
    non_numeric = [name for name in [outcome, *attributes] if not _is_real(frame[name])]
    if non_numeric:
        raise AnalysisError(
            f"non-numeric column(s): {_quoted(non_numeric)} (with importance='derived' every "
            "column other than the outcome is an attribute's ratings)"
        )
    ratings = frame[[outcome, *attributes]].astype("float64")
    infinite = [name for name in ratings.columns if np.isinf(ratings[name]).any()]
    if infinite:
        raise AnalysisError(f"infinite value(s) in column(s): {_quoted(infinite)}")
    if bounds is not None:
        for name in attributes:
            _check_within(ratings[name].dropna(), None, bounds, name)

    y = ratings[outcome]
    rows = []
    too_few, constant = [], []
    for name in attributes:
        x = ratings[name]
        paired = x.notna() & y.notna()
        if paired.sum() < _MIN_PAIRS:
            too_few.append(f"{name!r} ({int(paired.sum())})")
            continue
        xs, ys = x[paired].to_numpy(), y[paired].to_numpy()
        if xs.max() == xs.min():
            constant.append(name)
            continue
        if ys.max() == ys.min():
            raise AnalysisError(
                f"the outcome {outcome!r} is constant where {name!r} is answered: "
                "no correlation can be derived"
            )
        rows.append((name, _pearson(xs, ys), float(x.mean())))
    if too_few:
        raise AnalysisError(
            f"derived importance needs at least {_MIN_PAIRS} respondents who answered both the "
            f"attribute and {outcome!r}; too few for: {', '.join(too_few)}"
        )
    if constant:
        raise AnalysisError(
            f"constant attribute(s) where the outcome is answered: {_quoted(constant)} "
            "(a rating that does not vary has no correlation with the outcome)"
        )
    return pd.DataFrame(rows, columns=list(_STATED_COLUMNS))


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    dx, dy = x - x.mean(), y - y.mean()
    return float(dx @ dy / np.sqrt((dx @ dx) * (dy @ dy)))


def _check_within(
    values: pd.Series, labels: pd.Series | None, bounds: tuple[float, float], column: str
) -> None:
    low, high = bounds
    outside = (values < low) | (values > high)
    if outside.any():
        where = f" for {_quoted(labels[outside].tolist())}" if labels is not None else ""
        raise AnalysisError(
            f"{column} has value(s) outside the scale ({low:g} to {high:g}){where}: "
            f"{', '.join(f'{v:g}' for v in values[outside].head(5))}"
        )


def _is_real(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_complex_dtype(column)


def _quoted(names: list) -> str:
    return ", ".join(repr(name) for name in names)
