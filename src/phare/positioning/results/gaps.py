"""Gaps: on each attribute, the IT department against the best alternative — means with
intervals, the paired difference with its Holm-adjusted p (:func:`phare.analysis.gaps.
paired_gaps`) and a verdict; the stated importance of each attribute; what drives preferring
the IT department (:func:`phare.analysis.drivers.key_drivers` on its ratings); and the study's
benchmarks, each with its source and date, beside the attribute it names.

Privacy: nothing below *k* released respondents; an attribute whose internal or best
alternative's mean rests on fewer than *k* ratings, or whose difference on fewer than *k*
pairs, says "too few answers"; importance is shown from *k* answers; the drivers from *k*
complete rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.analysis.drivers import MAX_SHAPLEY_DRIVERS, key_drivers
from phare.analysis.errors import AnalysisError
from phare.analysis.gaps import paired_gaps
from phare.positioning.answers import StudyData
from phare.positioning.results.common import too_few_answers

VERDICTS = {
    "wins": gettext_lazy("Wins"),
    "loses": gettext_lazy("Loses"),
    "no_difference": gettext_lazy("No clear difference"),
}


@dataclass(frozen=True)
class Benchmark:
    """An outside figure, always with its source and date."""

    label: str
    value: float
    unit: str
    attribute: str
    source: str
    source_url: str
    as_of: dt.date


@dataclass(frozen=True)
class Gap:
    """One attribute: the internal alternative against the best other one (``hidden`` with a
    reason when one of them rests on too few answers)."""

    attribute: str
    label: str
    hidden: bool = False
    reason: str = ""
    internal_mean: float | None = None
    internal_low: float | None = None
    internal_high: float | None = None
    best: str = ""
    best_label: str = ""
    best_mean: float | None = None
    best_low: float | None = None
    best_high: float | None = None
    difference: float | None = None
    difference_low: float | None = None
    difference_high: float | None = None
    p_adjusted: float | None = None
    verdict: str = ""
    importance: float | None = None
    benchmarks: list[Benchmark] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS.get(self.verdict, ""))


@dataclass(frozen=True)
class Driver:
    attribute: str
    label: str
    percent: float
    rank: int


@dataclass(frozen=True)
class Drivers:
    """How much each attribute's rating of the IT department weighs in preferring it."""

    method: str
    r2: float
    n: int
    dropped: int
    rows: list[Driver]


@dataclass(frozen=True)
class GapsResult:
    n: int
    hidden: bool = False
    reason: str = ""
    internal: str = ""
    internal_label: str = ""
    confidence: float = 0.95
    rows: list[Gap] = field(default_factory=list)
    drivers: Drivers | None = None
    drivers_note: str = ""
    importance_note: str = ""
    #: Benchmarks naming no attribute of the study.
    other_benchmarks: list[Benchmark] = field(default_factory=list)


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def importance_means(data: StudyData) -> dict[str, float | None]:
    """The stated importance of each attribute: its mean, from *k* answers (else None)."""
    out: dict[str, float | None] = {}
    for attribute in data.attributes:
        column = (data.importance[attribute].dropna() if attribute in data.importance.columns
                  else pd.Series(dtype=float))
        out[attribute] = float(column.mean()) if len(column) >= data.k else None
    return out


def compute_gaps(data: StudyData, *, benchmarks: Sequence[Benchmark] = (),
                 confidence: float = 0.95) -> GapsResult:
    """The gaps of ``data`` (see the module docstring)."""
    internal_label = data.alternative_labels.get(data.internal, data.internal)
    if data.n < data.k:
        return GapsResult(n=data.n, hidden=True, reason=too_few_answers(data.k))
    try:
        table = paired_gaps(data.ratings, reference=data.internal, confidence=confidence)
    except AnalysisError as exc:
        return GapsResult(n=data.n, hidden=True,
                          reason=_("The gaps cannot be computed: %(error)s") % {"error": exc})
    importance = importance_means(data)
    by_attribute: dict[str, list[Benchmark]] = {}
    for item in benchmarks:
        by_attribute.setdefault(item.attribute, []).append(item)
    rows = [_gap(data, attribute, table, importance[attribute],
                 by_attribute.get(attribute, []))
            for attribute in data.attributes]
    drivers, drivers_note = compute_drivers(data)
    return GapsResult(
        n=data.n, internal=data.internal, internal_label=internal_label,
        confidence=confidence, rows=rows, drivers=drivers, drivers_note=drivers_note,
        importance_note=("" if any(v is not None for v in importance.values())
                         else _("No stated importance: too few answers to that question.")),
        other_benchmarks=[b for b in benchmarks if b.attribute not in data.attributes])


def _gap(data: StudyData, attribute: str, table: pd.DataFrame, importance: float | None,
         benchmarks: list[Benchmark]) -> Gap:
    label = data.attribute_labels.get(attribute, attribute)
    if attribute not in table.index:
        return Gap(attribute=attribute, label=label, hidden=True,
                   reason=_("Too few answers."), importance=importance, benchmarks=benchmarks)
    row = table.loc[attribute]
    counts = [row["reference_n"], row["best_n"], row["n_pairs"]]
    if any(pd.isna(c) or int(c) < data.k for c in counts) or not row["best"]:
        return Gap(attribute=attribute, label=label, hidden=True, reason=_("Too few answers."),
                   importance=importance, benchmarks=benchmarks)
    best = str(row["best"])
    return Gap(
        attribute=attribute, label=label,
        internal_mean=_float(row["reference_mean"]), internal_low=_float(row["reference_low"]),
        internal_high=_float(row["reference_high"]),
        best=best, best_label=data.alternative_labels.get(best, best),
        best_mean=_float(row["best_mean"]), best_low=_float(row["best_low"]),
        best_high=_float(row["best_high"]),
        difference=_float(row["difference"]), difference_low=_float(row["difference_low"]),
        difference_high=_float(row["difference_high"]),
        p_adjusted=_float(row["p_adjusted"]), verdict=str(row["verdict"]),
        importance=importance, benchmarks=benchmarks)


def driver_frame(data: StudyData) -> pd.DataFrame:
    """One row per respondent: ``prefers`` (1 when they would turn first to the internal
    alternative, 0 to another, missing when they did not say) and their rating of the internal
    alternative on each attribute (columns: attribute codes)."""
    internal = data.ratings[data.ratings["alternative"] == data.internal]
    ratings = (internal.pivot_table(index="respondent", columns="attribute", values="rating",
                                    aggfunc="mean")
               .reindex(index=range(data.n), columns=data.attributes))
    preference = data.preference.reindex(range(data.n))
    prefers = preference.map(lambda v: None if v is None or pd.isna(v)
                             else float(v == data.internal)).astype(float)
    return ratings.assign(prefers=prefers)


def compute_drivers(data: StudyData) -> tuple[Drivers | None, str]:
    """The key drivers of preferring the internal alternative, on complete rows only."""
    frame = driver_frame(data)
    complete = frame.dropna()
    if len(complete) < data.k:
        return None, _("No key drivers: too few respondents rated the IT department on every "
                       "attribute and said which they would turn to first.")
    method = "shapley" if len(data.attributes) <= MAX_SHAPLEY_DRIVERS else "relative_weights"
    try:
        found = key_drivers(frame, outcome="prefers", drivers=data.attributes,
                            method=method)  # type: ignore[arg-type]
    except AnalysisError as exc:
        return None, _("No key drivers: %(error)s") % {"error": exc}
    table = found.as_frame()
    rows = [Driver(attribute=str(r.driver),
                   label=data.attribute_labels.get(str(r.driver), str(r.driver)),
                   percent=float(r.percent), rank=int(r.rank))
            for r in table.itertuples()]
    return Drivers(method=method, r2=found.r2, n=found.n, dropped=found.dropped, rows=rows), ""
