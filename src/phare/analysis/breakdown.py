"""One estimate per group of respondents, with small groups suppressed for anonymity.

``breakdown(frame, by="department", metric="nps")`` gives one row per group, sorted by the
group keys, with the same estimates as :mod:`phare.analysis.estimates` (NPS in points, CSAT in
percent, CES and mean in the score's unit). The work per row is vectorised (one ``groupby``);
only the per-group interval formulas run in a Python loop.

Suppression (disclosure control)
--------------------------------
A group with fewer than ``min_group`` usable answers is *suppressed*: its ``n``, ``missing``,
``estimate``, ``low`` and ``high`` are ``<NA>``, because a small count, or a value computed
from a handful of answers, can point at identifiable people. Only its keys and
``suppressed=True`` remain.

Hiding small groups is not enough when together they hold fewer than ``min_group`` answers:
they can be recovered by subtracting the groups shown from the overall result (complementary
disclosure). So while the suppressed groups hold fewer than ``min_group`` answers (but some)
and a group is shown, the smallest shown group is suppressed as well (secondary suppression;
ties go to the first in sort order; :func:`phare.analysis.disclosure.suppress`). The flag
does not tell primary from secondary suppression, as that would reveal which group is the
small one. Groups with no usable answer at all disclose nothing and do not
trigger secondary suppression. This protects a single breakdown; it cannot protect against
differencing across several overlapping breakdowns (e.g. by department, then by site).

References: Hundepool A. et al. (2012), *Statistical Disclosure Control*, Wiley, §5.2
(threshold rule) and §5.4 (secondary suppression); the estimates' own references are in
:mod:`phare.analysis.estimates`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from phare.analysis import disclosure
from phare.analysis.errors import AnalysisError
from phare.analysis.estimates import (
    Estimate,
    csat_from_counts,
    mean_from_summary,
    nps_from_counts,
)
from phare.analysis.inputs import check_confidence, check_scale, validated

BreakdownMetric = Literal["nps", "csat", "ces", "mean"]

RESULT_COLUMNS = ("n", "missing", "estimate", "low", "high", "suppressed")
_DEFAULT_SCALE = {"csat": 5, "ces": 7}


def breakdown(
    frame: pd.DataFrame,
    *,
    by: str | Sequence[str],
    metric: BreakdownMetric,
    min_group: int = 5,
    confidence: float = 0.95,
    value: str = "score",
    scale: int | None = None,
) -> pd.DataFrame:
    """Estimate ``metric`` of column ``value`` for each group of ``by`` (a column or a list).

    Metrics: ``"nps"`` (0–10 answers, Wald interval, see :func:`~.estimates.nps`), ``"csat"``
    (1…scale, top two boxes satisfied, Wilson interval, see :func:`~.estimates.csat`),
    ``"ces"`` and ``"mean"`` (mean with a Student t interval; CES answers are 1…scale).
    ``scale`` defaults to 5 for CSAT and 7 for CES and is ignored otherwise.

    Returns a DataFrame with the ``by`` columns, then ``n`` and ``missing`` (``Int64``),
    ``estimate``, ``low``, ``high`` (``Float64``) and ``suppressed`` (bool), one row per group
    sorted by the keys. Rows whose key is missing form their own group, sorted last.
    Groups with ``n < min_group`` are suppressed, with secondary suppression while the
    suppressed ones hold fewer than ``min_group`` answers (see the module docstring).
    ``min_group`` must be at least 1; with ``"mean"`` or ``"ces"`` a shown group needs at
    least 2 answers for its t interval.

    Raises :class:`AnalysisError` naming the problem: unknown columns or metric, bad
    ``min_group``/``confidence``/``scale``, or unusable answers (with row positions, from 0).
    """
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisError(f"frame: expected a pandas DataFrame, got {type(frame).__name__}")
    keys = _check_by(frame, by)
    if metric not in ("nps", "csat", "ces", "mean"):
        raise AnalysisError(f"metric: must be 'nps', 'csat', 'ces' or 'mean', got {metric!r}")
    _check_min_group(min_group)
    confidence = check_confidence(confidence)
    top = 0  # only CSAT and CES answers have a scale
    if metric in _DEFAULT_SCALE:
        top = check_scale(_DEFAULT_SCALE[metric] if scale is None else scale)
    if value not in frame.columns:
        raise AnalysisError(f"value: no column {value!r} in the frame")
    if value in keys:
        raise AnalysisError(f"value: {value!r} is also a grouping column in by")
    if frame.empty:
        raise AnalysisError("frame: no rows")

    name = f"column {value!r}"
    if metric == "nps":
        answers = validated(frame[value], name=name, low=0, high=10, whole=True)
    elif metric in ("csat", "ces"):
        answers = validated(frame[value], name=name, low=1, high=top, whole=True)
    else:
        answers = validated(frame[value], name=name)

    stats_by_group = _aggregate(frame, keys, answers, metric, top)
    n = stats_by_group["n"].to_numpy(dtype=np.int64)
    suppressed = suppressed_groups(n, min_group=min_group)
    estimate_of = _estimator(metric, top, confidence, name)

    estimates, lows, highs = [], [], []
    for position, (key, row) in enumerate(stats_by_group.iterrows()):
        if suppressed[position]:
            estimates.append(pd.NA)
            lows.append(pd.NA)
            highs.append(pd.NA)
            continue
        try:
            result = estimate_of(row)
        except AnalysisError as error:
            hint = " (raise min_group)" if metric in ("ces", "mean") else ""
            raise AnalysisError(f"group {key!r}: {error}{hint}") from error
        estimates.append(result.value)
        lows.append(result.low)
        highs.append(result.high)

    out = stats_by_group.index.to_frame(index=False)
    out["n"] = pd.array(np.where(suppressed, None, n), dtype="Int64")
    missing = stats_by_group["rows"].to_numpy() - n
    out["missing"] = pd.array(np.where(suppressed, None, missing), dtype="Int64")
    out["estimate"] = pd.array(estimates, dtype="Float64")
    out["low"] = pd.array(lows, dtype="Float64")
    out["high"] = pd.array(highs, dtype="Float64")
    out["suppressed"] = suppressed
    return out


def suppressed_groups(n: Sequence[int] | np.ndarray, *, min_group: int = 5) -> np.ndarray:
    """Which groups to hide (bool array), given their counts of usable answers, in order.

    Primary: ``0 < n < min_group``. Secondary: while the hidden groups hold fewer than
    ``min_group`` answers (but some) and some group is shown, also hide the smallest shown
    group (first on ties) — :func:`phare.analysis.disclosure.suppress`, the rule every figure
    of Phare follows. See the module docstring for why.
    """
    _check_min_group(min_group)
    counts = np.asarray(n, dtype=np.int64)
    hidden = disclosure.suppress(dict(enumerate(counts.tolist())), min_group)
    # A group with no usable answer has no figure either (it discloses nothing).
    return np.array([i in hidden or c == 0 for i, c in enumerate(counts)], dtype=bool)


def _check_min_group(min_group: object) -> None:
    if not isinstance(min_group, numbers.Integral) or isinstance(min_group, bool) or min_group < 1:
        raise AnalysisError(f"min_group: must be a whole number of at least 1, got {min_group!r}")


def _check_by(frame: pd.DataFrame, by: object) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by) if isinstance(by, Sequence) else None
    if not keys:
        raise AnalysisError(f"by: expected a column name or a list of them, got {by!r}")
    unknown = [k for k in keys if k not in frame.columns]
    if unknown:
        raise AnalysisError(
            f"by: no column {', '.join(map(repr, unknown))} in the frame "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    if len(set(keys)) != len(keys):
        raise AnalysisError(f"by: a column is listed twice in {keys!r}")
    clash = [k for k in keys if k in RESULT_COLUMNS]
    if clash:
        raise AnalysisError(
            f"by: column {clash[0]!r} would clash with the result columns "
            f"({', '.join(RESULT_COLUMNS)}); rename it first"
        )
    return keys


def _aggregate(
    frame: pd.DataFrame, keys: list[str], answers: np.ndarray, metric: str, top: int
) -> pd.DataFrame:
    """Per-group sufficient statistics: rows, n, and what the metric needs, sorted by keys."""
    present = ~np.isnan(answers)
    columns: dict[str, np.ndarray] = {"rows": np.ones(answers.size, dtype=np.int64)}
    columns["n"] = present.astype(np.int64)
    if metric == "nps":
        columns["promoters"] = (answers >= 9).astype(np.int64)  # NaN compares False
        columns["detractors"] = (answers <= 6).astype(np.int64)
    elif metric == "csat":
        columns["satisfied"] = (answers >= top - 1).astype(np.int64)
        columns["total"] = np.where(present, answers, 0.0)
    else:
        columns["answer"] = answers
    work = pd.DataFrame(columns)
    # Keys as Series on a fresh index: no clash with the work columns, dtype (e.g. category)
    # kept, and no alignment surprises when the frame's index has duplicates.
    groups = work.groupby(
        [frame[k].reset_index(drop=True) for k in keys], sort=True, dropna=False, observed=True
    )
    if metric in ("nps", "csat"):
        return groups.sum()
    return groups.agg(
        rows=("rows", "sum"), n=("n", "sum"), mean=("answer", "mean"), sd=("answer", "std")
    )


def _estimator(
    metric: str, top: int, confidence: float, name: str
) -> Callable[[pd.Series], Estimate]:
    """The function turning one group's statistics into its estimate."""
    if metric == "nps":

        def nps_row(row: pd.Series) -> Estimate:
            promoters, detractors = int(row["promoters"]), int(row["detractors"])
            passives = int(row["n"]) - promoters - detractors
            return nps_from_counts(promoters, passives, detractors, confidence=confidence)

        return nps_row
    if metric == "csat":

        def csat_row(row: pd.Series) -> Estimate:
            n = int(row["n"])
            return csat_from_counts(
                int(row["satisfied"]),
                n,
                row["total"] / n,
                scale=top,
                satisfied_scores=(top - 1, top),
                confidence=confidence,
            )

        return csat_row

    def mean_row(row: pd.Series) -> Estimate:
        return mean_from_summary(
            int(row["n"]), float(row["mean"]), float(row["sd"]), confidence=confidence, name=name
        )

    return mean_row
