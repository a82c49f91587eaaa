"""Segments of respondents: k-means on standardised answers, k chosen by silhouette.

Method: each column is standardised (scikit-learn ``StandardScaler``: mean 0, standard
deviation 1, so that no question weighs more because of its scale), then clustered with
k-means (Lloyd's algorithm, ``KMeans(n_init=10, random_state=seed)``; MacQueen 1967, Arthur &
Vassilvitskii 2007 for the k-means++ start). When ``k`` is not given, it is the value of
``k_range`` (both ends included) with the highest mean silhouette width (Rousseeuw 1987,
"Silhouettes: a graphical aid to the interpretation and validation of cluster analysis",
J. Comput. Appl. Math. 20); the smallest k wins a tie. Above 5,000 rows the silhouette is
computed on a random sample of 5,000 rows (drawn with ``seed``), as it costs n² distances.

Segments are numbered 1..k by size, largest first (a tie goes to the segment holding the
earlier row), so the same data and seed always give the same numbering.

k-means runs on one thread (``threadpoolctl``): on a small server whose cores are busy serving
pages, BLAS and OpenMP threads fighting for them made a 1,200-row segmentation 25 times slower
(8 s against 0.3 s measured on 2 busy cores), and the data here is small enough for one.

Missing answers are rejected rather than dropped or imputed: which rows to keep (or how to fill
them) changes the segments, so the caller decides, e.g. with ``frame.dropna()``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from phare.analysis.errors import AnalysisError

SILHOUETTE_SAMPLE = 5_000


@dataclass(frozen=True)
class Segments:
    """The result of :func:`segments`.

    ``labels``: segment (1..k) of each row, indexed like the input frame. ``profile``: one row
    per segment with ``size``, ``share`` (of all rows) and the mean of each original column.
    ``centers``: the k-means centres in standard deviations from the overall mean (what sets
    each segment apart, comparable across questions). ``silhouettes``: the score of every k
    tried (only the given k when ``k`` was passed).
    """

    k: int
    labels: pd.Series
    silhouette: float
    profile: pd.DataFrame
    centers: pd.DataFrame
    silhouettes: dict[int, float] = field(default_factory=dict)


def segments(
    frame: pd.DataFrame,
    *,
    k: int | None = None,
    k_range: tuple[int, int] = (2, 8),
    seed: int = 0,
) -> Segments:
    """Cluster the rows of ``frame`` (numeric answers, one column per question) into segments.

    Raises :class:`AnalysisError` for: no rows or columns, non-numeric columns, missing or
    infinite values, constant columns, a ``k`` below 2, a bad ``k_range``, and too few rows
    (more than ``k`` when it is given, at least ``2 * max(k_range)`` when it is chosen).
    """
    data = _answers(frame)
    n = len(data)
    if k is not None:
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
            raise AnalysisError(f"k must be an integer of at least 2; got {k!r}.")
        if n <= k:
            raise AnalysisError(f"{n} rows cannot make {k} segments: more than k rows are needed.")
        candidates = [int(k)]
    else:
        low, high = _k_range(k_range)
        if n < 2 * high:
            raise AnalysisError(
                f"Choosing k up to {high} needs at least {2 * high} rows; the frame has {n}. "
                "Pass a smaller k_range or a fixed k."
            )
        candidates = list(range(low, high + 1))

    scaled = StandardScaler().fit_transform(data.to_numpy(dtype=float))
    sample = min(n, SILHOUETTE_SAMPLE)
    best: tuple[float, KMeans] | None = None
    scores: dict[int, float] = {}
    for candidate in candidates:
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            # Fewer distinct rows than k is handled just below, with a clearer message.
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = KMeans(n_clusters=candidate, n_init=10, random_state=seed).fit(scaled)
        found = len(np.unique(model.labels_))
        if found < candidate:
            # Fewer distinct rows than k: k-means leaves segments empty.
            if k is not None:
                raise AnalysisError(
                    f"The frame has only {found} distinct row(s): it cannot make {k} segments."
                )
            continue
        score = float(
            silhouette_score(
                scaled,
                model.labels_,
                sample_size=sample if sample < n else None,
                random_state=seed,
            )
        )
        scores[candidate] = score
        if best is None or score > best[0]:
            best = (score, model)
    if best is None:
        raise AnalysisError(
            f"The frame has fewer distinct rows than {candidates[0]}: no segments to find."
        )
    score, model = best
    return _result(data, model, score, scores)


def _answers(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisError(f"segments() needs a pandas DataFrame; got {type(frame).__name__}.")
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise AnalysisError(
            f"The frame is empty ({frame.shape[0]} rows, {frame.shape[1]} columns)."
        )
    if frame.columns.duplicated().any():
        duplicated = frame.columns[frame.columns.duplicated()].unique().tolist()
        raise AnalysisError(f"Duplicate column name(s): {duplicated}.")
    clash = [name for name in ("size", "share") if name in frame.columns]
    if clash:
        raise AnalysisError(
            f"Column(s) {clash} would clash with the profile's size and share: rename them."
        )
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if text:
        raise AnalysisError(f"Non-numeric column(s): {text}; encode them as numbers first.")
    data = frame.astype(float)
    missing = data.isna()
    if missing.to_numpy().any():
        per_column = missing.sum()
        where = ", ".join(f"{c!r}: {int(m)}" for c, m in per_column[per_column > 0].items())
        rows = data.index[missing.any(axis=1)]
        raise AnalysisError(
            f"{int(missing.to_numpy().sum())} missing value(s) in {len(rows)} row(s) "
            f"(by column: {where}; first rows: {_some(rows)}). Drop or fill them first, "
            "e.g. frame.dropna()."
        )
    infinite = ~np.isfinite(data.to_numpy())
    if infinite.any():
        columns = data.columns[infinite.any(axis=0)].tolist()
        raise AnalysisError(f"Infinite value(s) in column(s) {columns}.")
    constant = [c for c in data.columns if data[c].nunique() < 2]
    if constant:
        raise AnalysisError(
            f"Constant column(s) {constant}: they cannot separate segments; remove them."
        )
    return data


def _k_range(k_range: tuple[int, int]) -> tuple[int, int]:
    try:
        low, high = (int(v) for v in k_range)
    except (TypeError, ValueError):
        raise AnalysisError(f"k_range must be two integers (low, high); got {k_range!r}.") from None
    if low < 2 or high < low:
        raise AnalysisError(f"k_range must satisfy 2 <= low <= high; got {k_range!r}.")
    return low, high


def _some(labels: Iterable[object], limit: int = 5) -> str:
    labels = list(labels)
    shown = ", ".join(repr(v) for v in labels[:limit])
    return shown + (", …" if len(labels) > limit else "")


def _result(
    data: pd.DataFrame,
    model: KMeans,
    score: float,
    scores: dict[int, float],
) -> Segments:
    raw = model.labels_
    k = model.n_clusters
    sizes = np.bincount(raw, minlength=k)
    first_row = np.array([np.flatnonzero(raw == c)[0] if sizes[c] else len(raw) for c in range(k)])
    order = sorted(range(k), key=lambda c: (-sizes[c], first_row[c]))
    number = np.empty(k, dtype=int)
    number[order] = np.arange(1, k + 1)

    labels = pd.Series(number[raw], index=data.index, name="segment")
    index = pd.Index(range(1, k + 1), name="segment")
    counts = labels.value_counts().reindex(index, fill_value=0)
    means = data.groupby(labels).mean().reindex(index)
    profile = pd.concat(
        [
            pd.DataFrame({"size": counts, "share": counts / len(labels)}, index=index),
            means,
        ],
        axis=1,
    )
    centers = pd.DataFrame(model.cluster_centers_[order], index=index, columns=data.columns)
    return Segments(
        k=k,
        labels=labels,
        silhouette=score,
        profile=profile,
        centers=centers,
        silhouettes=scores,
    )
