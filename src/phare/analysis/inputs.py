"""Checking what callers pass to ``phare.analysis``: numbers, scales, confidence levels.

Each check raises :class:`AnalysisError` with a message that names the argument and the
offending values and their positions (counted from 0).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from phare.analysis.errors import AnalysisError

#: How many offending values an error message lists.
LISTED = 5  # offending values quoted in an error message before "…"


def problem(name: str, shown: Sequence[str], positions: np.ndarray, one: str, many: str) -> str:
    """``name: 11 at position 4 is …`` or ``name: 3 values are …: 11, -1, 12 (positions …)``."""
    if len(positions) == 1:
        return f"{name}: {shown[0]} at position {positions[0]} {one}"
    more = ", …" if len(positions) > LISTED else ""
    listed = ", ".join(str(p) for p in positions[:LISTED])
    return (
        f"{name}: {len(positions)} values {many}: {', '.join(shown[:LISTED])}{more} "
        f"(positions {listed}{more})"
    )


def is_number(v: object) -> bool:
    return isinstance(v, numbers.Real | Decimal) and not isinstance(v, bool | np.bool_)


def as_floats(values: object, name: str) -> np.ndarray:
    """A 1-D float array, NaN where an answer is missing; raise on anything not a number."""
    if isinstance(values, str | bytes | Mapping | pd.DataFrame) or not isinstance(values, Iterable):
        raise AnalysisError(f"{name}: expected a sequence of numbers, got {type(values).__name__}")
    if isinstance(values, pd.Series | pd.Index):
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype
        ):
            return values.to_numpy(dtype=float, na_value=np.nan)
        raw = values.to_numpy(dtype=object)
    elif isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise AnalysisError(f"{name}: expected one dimension, got shape {values.shape}")
        raw = values
    else:
        items = list(values)
        raw = np.empty(len(items), dtype=object)
        raw[:] = items
    if raw.dtype.kind in "iuf":
        return raw.astype(float)
    raw = raw.astype(object)
    missing = pd.isna(raw)
    number = np.fromiter(
        (m or is_number(v) for v, m in zip(raw, missing, strict=True)), dtype=bool, count=raw.size
    )
    if not number.all():
        where = np.flatnonzero(~number)
        shown = [repr(raw[i]) for i in where[:LISTED]]
        raise AnalysisError(problem(name, shown, where, "is not a number", "are not numbers"))
    out = np.full(raw.size, np.nan)
    out[~missing] = raw[~missing].astype(float)
    return out


def validated(
    values: object,
    *,
    name: str,
    low: float | None = None,
    high: float | None = None,
    whole: bool = False,
) -> np.ndarray:
    """Check ``values`` and return them as floats, NaN where missing (at least one is not).

    Raises :class:`AnalysisError` for no values, non-numbers, infinities, values outside
    ``low``–``high`` and, with ``whole``, values with a fractional part.
    """
    arr = as_floats(values, name)
    if arr.size == 0:
        raise AnalysisError(f"{name}: no values")
    present = ~np.isnan(arr)
    checks: list[tuple[np.ndarray, str, str]] = [(np.isinf(arr), "is not finite", "are not finite")]
    if low is not None and high is not None:
        span = f"{low:g}–{high:g}"
        checks.append(
            (present & ((arr < low) | (arr > high)), f"is outside {span}", f"are outside {span}")
        )
    if whole:
        checks.append(
            (present & (arr != np.floor(arr)), "is not a whole number", "are not whole numbers")
        )
    for bad, one, many in checks:
        if bad.any():
            where = np.flatnonzero(bad)
            shown = [f"{arr[i]:g}" for i in where[:LISTED]]
            raise AnalysisError(problem(name, shown, where, one, many))
    if not present.any():
        raise AnalysisError(f"{name}: no values left, all {arr.size} are missing")
    return arr


def used_values(values: object, **checks: Any) -> tuple[np.ndarray, int]:
    arr = validated(values, **checks)
    present = ~np.isnan(arr)
    return arr[present], int(arr.size - present.sum())


def check_confidence(confidence: object) -> float:
    """Return ``confidence`` as a float strictly between 0 and 1, or raise."""
    if (
        isinstance(confidence, numbers.Real | Decimal)
        and not isinstance(confidence, bool)
        and 0 < float(confidence) < 1
    ):
        return float(confidence)
    raise AnalysisError(
        f"confidence: must be a number strictly between 0 and 1 (e.g. 0.95), got {confidence!r}"
    )


def check_scale(scale: object) -> int:
    """Return ``scale`` (the top of a 1…scale answer scale) as an int ≥ 2, or raise."""
    if not isinstance(scale, numbers.Integral) or isinstance(scale, bool) or scale < 2:
        raise AnalysisError(f"scale: must be a whole number of at least 2, got {scale!r}")
    return int(scale)


def check_satisfied(satisfied: Sequence[int] | None, scale: int) -> tuple[int, ...]:
    if satisfied is None:
        return (scale - 1, scale)
    if isinstance(satisfied, str | bytes) or not isinstance(satisfied, Iterable):
        raise AnalysisError(f"satisfied: expected a sequence of scores, got {satisfied!r}")
    chosen = tuple(satisfied)
    wrong = [s for s in chosen if not is_number(s) or s != int(s) or not 1 <= s <= scale]
    if not chosen or wrong:
        raise AnalysisError(f"satisfied: must list scores from 1 to {scale}, got {satisfied!r}")
    return tuple(sorted({int(s) for s in chosen}))


def z_value(confidence: float) -> float:
    return float(stats.norm.ppf((1 + confidence) / 2))


# --- Estimates from counts (public, and shared with ``breakdown``) ---------------------------
