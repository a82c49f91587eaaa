"""Competitive gaps: the reference alternative against the best other one, attribute by attribute.

For each attribute, the reference (say, the IT department's own service) is compared with the
*best other* alternative on that attribute — the one with the highest mean rating, the first in
order of appearance on a tie (optionally among those rated by at least ``min_n`` respondents on
that attribute). Both means come with Student t intervals (Student 1908). As the
same respondents rate several alternatives, the comparison is *paired*: the difference
``reference − best`` is taken within each respondent who rated both on that attribute, and
tested with the paired t test (mean difference over its standard error, ``n_pairs − 1`` degrees
of freedom, two-sided), which is what ``scipy.stats.ttest_rel`` computes. Respondents who rated
only one of the two take no part in the difference.

Testing every attribute at once inflates the chance of a false "wins" or "loses", so the
p-values are adjusted across attributes with Holm's step-down method (Holm 1979), which controls
the family-wise error rate without assuming independence: with the m p-values in increasing
order, ``p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j))``. The verdict is ``"wins"`` or
``"loses"`` when the adjusted p is below ``1 − confidence`` (by the sign of the mean
difference), ``"no_difference"`` otherwise, and ``"too_few"`` when fewer than 2 respondents
rated both (no test; these attributes are left out of the Holm family). Privacy thresholds are
the caller's: the counts are returned as they are.

When every pair differs by the same amount (standard deviation 0) the t statistic is infinite:
p is 0 if that amount is not 0 and 1 if it is, and the interval is that single value.

Values that cannot be computed are NaN and say so by their place: a mean with no rating, an
interval from fewer than 2 ratings, a difference or p-value under ``"too_few"``.

References
----------
- Student (1908). The probable error of a mean. *Biometrika* 6(1):1-25.
- Holm S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
  Journal of Statistics* 6(2):65-70.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable

import numpy as np
import pandas as pd
from scipy import stats

from phare.analysis.errors import AnalysisError
from phare.analysis.inputs import check_confidence, is_number

REQUIRED = ("respondent", "alternative", "attribute", "rating")

#: The columns of :func:`paired_gaps`' result, in order.
COLUMNS = (
    "reference_mean", "reference_n", "reference_low", "reference_high",
    "best", "best_mean", "best_n", "best_low", "best_high",
    "difference", "n_pairs", "difference_low", "difference_high",
    "p_value", "p_adjusted", "verdict",
)

VERDICTS = ("wins", "loses", "no_difference", "too_few")


def paired_gaps(
    ratings: pd.DataFrame, *, reference: str, confidence: float = 0.95, min_n: int = 1
) -> pd.DataFrame:
    """One row per attribute (index ``attribute``, order of first appearance); see the module.

    ``ratings`` is long: columns ``respondent``, ``alternative``, ``attribute``, ``rating``
    (NaN = no rating). Columns of the result: :data:`COLUMNS`. An alternative with fewer than
    ``min_n`` ratings on an attribute cannot be that attribute's best (a caller that hides means
    of fewer than k people passes k, so the best shown is the best it may show).

    Raises :class:`AnalysisError` for missing columns, a rating that is not a number or not
    finite (by row label), two ratings by one respondent of one alternative on one attribute,
    an unknown ``reference``, a reference without any rating, a confidence outside (0, 1) and
    ``min_n`` below 1.
    """
    confidence = check_confidence(confidence)
    if not isinstance(min_n, numbers.Integral) or isinstance(min_n, bool) or min_n < 1:
        raise AnalysisError(f"min_n: must be a whole number of at least 1, got {min_n!r}")
    frame = _checked(ratings)
    alternatives = list(pd.unique(frame["alternative"]))
    if reference not in alternatives:
        raise AnalysisError(
            f"reference: {reference!r} is not an alternative of the ratings; "
            f"they have {', '.join(_shown(a) for a in alternatives)}"
        )
    attributes = list(pd.unique(frame["attribute"]))
    rated = frame.dropna(subset=["rating"])
    if not (rated["alternative"] == reference).any():
        raise AnalysisError(
            f"reference: {reference!r} has no rating on any attribute, so there is no gap to show"
        )
    wide = rated.pivot(
        index="respondent", columns=["attribute", "alternative"], values="rating"
    )

    rows = [
        _attribute_row(wide, attribute, reference, alternatives, confidence, int(min_n))
        for attribute in attributes
    ]
    result = pd.DataFrame(rows, index=pd.Index(attributes, name="attribute"), columns=COLUMNS)
    tested = result["verdict"] != "too_few"
    adjusted = holm(result.loc[tested, "p_value"].to_numpy(dtype=float))
    result["p_adjusted"] = np.nan
    result.loc[tested, "p_adjusted"] = adjusted
    alpha = 1 - confidence
    significant = tested & (result["p_adjusted"] < alpha)
    result.loc[tested, "verdict"] = "no_difference"
    result.loc[significant & (result["difference"] > 0), "verdict"] = "wins"
    result.loc[significant & (result["difference"] < 0), "verdict"] = "loses"
    for column in ("reference_n", "best_n", "n_pairs"):
        result[column] = result[column].astype(int)
    return result


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values, in the order given (Holm 1979); an empty array gives one back."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(stepped) if m else stepped
    return adjusted


def _attribute_row(
    wide: pd.DataFrame,
    attribute: Hashable,
    reference: str,
    alternatives: list[Hashable],
    confidence: float,
    min_n: int,
) -> dict[str, object]:
    def column(alternative: Hashable) -> pd.Series:
        key = (attribute, alternative)
        if key in wide.columns:
            return wide[key].dropna()
        return pd.Series(dtype=float)

    own = column(reference)
    row: dict[str, object] = dict(zip(("reference_mean", "reference_n", "reference_low",
                                       "reference_high"), _mean(own, confidence), strict=True))
    best: Hashable | None = None
    best_ratings = pd.Series(dtype=float)
    for alternative in alternatives:
        if alternative == reference:
            continue
        found = column(alternative)
        if len(found) >= min_n and (best is None or found.mean() > best_ratings.mean()):
            best, best_ratings = alternative, found
    row["best"] = best
    row.update(zip(("best_mean", "best_n", "best_low", "best_high"),
                   _mean(best_ratings, confidence), strict=True))

    pairs = pd.concat([own, best_ratings], axis=1, join="inner")
    differences = (pairs.iloc[:, 0] - pairs.iloc[:, 1]).to_numpy(dtype=float)
    row["n_pairs"] = len(differences)
    row["verdict"] = "too_few" if len(differences) < 2 else ""
    row["difference"] = row["difference_low"] = row["difference_high"] = math.nan
    row["p_value"] = math.nan
    if len(differences) >= 2:
        mean, _, low, high = _mean(pd.Series(differences), confidence)
        row["difference"], row["difference_low"], row["difference_high"] = mean, low, high
        row["p_value"] = _paired_p(differences)
    row["p_adjusted"] = math.nan
    return row


def _mean(values: pd.Series, confidence: float) -> tuple[float, int, float, float]:
    """Mean, n and Student t interval; NaN where it cannot be computed (n = 0, or n < 2)."""
    n = len(values)
    if n == 0:
        return math.nan, 0, math.nan, math.nan
    mean = float(values.mean())
    if n < 2:
        return mean, n, math.nan, math.nan
    se = float(values.std(ddof=1)) / math.sqrt(n)
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * se
    return mean, n, mean - half, mean + half


def _paired_p(differences: np.ndarray) -> float:
    """Two-sided p of the paired t test on ``differences`` (at least 2 of them)."""
    mean = float(differences.mean())
    sd = float(differences.std(ddof=1))
    if sd == 0 or sd <= 1e-12 * abs(mean):
        return 0.0 if mean != 0 else 1.0
    t = mean / (sd / math.sqrt(differences.size))
    return float(2 * stats.t.sf(abs(t), differences.size - 1))


def _checked(ratings: object) -> pd.DataFrame:
    """The four columns, ratings as floats; errors name the column or the row label."""
    if not isinstance(ratings, pd.DataFrame):
        raise AnalysisError(f"ratings: expected a DataFrame, got {type(ratings).__name__}")
    missing = [c for c in REQUIRED if c not in ratings.columns]
    if missing:
        raise AnalysisError(
            f"ratings: missing column(s) {missing}; expected {list(REQUIRED)}"
        )
    frame = ratings[list(REQUIRED)].copy()
    if frame.empty:
        raise AnalysisError("ratings: no rows")
    for name in ("respondent", "alternative", "attribute"):
        empty = frame[name].isna().to_numpy()
        if empty.any():
            raise AnalysisError(
                f"ratings: row {_shown(frame.index[int(empty.argmax())])} has no {name}"
            )
    series = frame["rating"]
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        for label, cell in series.items():
            if not pd.isna(cell) and not is_number(cell):
                raise AnalysisError(
                    f"ratings: row {_shown(label)}, rating is not a number: {cell!r}"
                )
    values = series.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        raise AnalysisError(
            f"ratings: row {_shown(frame.index[int(infinite.argmax())])}, rating is infinite"
        )
    frame["rating"] = values
    keys = ["respondent", "alternative", "attribute"]
    rated = frame.dropna(subset=["rating"])
    twice = rated.duplicated(subset=keys).to_numpy()
    if twice.any():
        position = int(twice.argmax())
        who = ", ".join(_shown(value) for value in rated.iloc[position][keys])
        raise AnalysisError(
            f"ratings: row {_shown(rated.index[position])} rates again (respondent, "
            f"alternative, attribute) = ({who}); one rating each"
        )
    return frame


def _shown(value: object) -> str:
    """A label as Python shows it (``7``, ``'it'``), not as a numpy scalar (``np.int64(7)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)
