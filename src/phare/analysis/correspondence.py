"""Simple correspondence analysis of a two-way table of counts, for perceptual maps.

Method (Greenacre, *Correspondence Analysis in Practice*, 3rd ed., 2017, chapters 4 and 28):
with the correspondence matrix ``P = N / n``, row masses ``r`` and column masses ``c``, take the
singular value decomposition of the standardised residuals

    S = D_r^(-1/2) (P - r c^T) D_c^(-1/2) = U Σ V^T.

The principal inertias are the squared singular values ``σ_k²`` (they add up to the total
inertia ``χ² / n``), the row principal coordinates are ``D_r^(-1/2) U Σ`` and the column
principal coordinates ``D_c^(-1/2) V Σ``. A table with ``r`` rows and ``c`` columns has
``min(r, c) - 1`` dimensions.

The sign of an axis is arbitrary. Here it is fixed so that, on every dimension, the column
with the largest absolute coordinate (the first one on a tie) is on the positive side: the same
table always gives the same map.

Checked against Greenacre's smoking table (R package ``ca``) in the tests.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from phare.analysis.errors import AnalysisError


@dataclass(frozen=True)
class Correspondence:
    """The result of :func:`correspondence`; dimensions are named ``dim1``, ``dim2``…

    ``inertias`` and ``percent`` are Series indexed by dimension, largest first; ``percent``
    is each dimension's share of the total inertia, in percent (they add up to 100).
    Coordinates are principal coordinates (distances on the map are chi-square distances).
    """

    inertias: pd.Series
    total_inertia: float
    percent: pd.Series
    chi2: float
    dof: int
    p_value: float
    n: float
    row_masses: pd.Series
    column_masses: pd.Series
    row_coordinates: pd.DataFrame
    column_coordinates: pd.DataFrame

    @property
    def dimensions(self) -> int:
        """How many dimensions the table has: ``min(rows, columns) - 1``."""
        return len(self.inertias)


def correspondence(table: pd.DataFrame | Any) -> Correspondence:
    """Correspondence analysis of ``table``, a DataFrame (or 2-D array) of non-negative counts.

    Row and column labels are the DataFrame's index and columns (positions 0, 1… for an array).
    Raises :class:`AnalysisError` for an empty table, fewer than two rows or columns, duplicate
    labels, missing, non-numeric, infinite or negative cells, a row or column summing to zero,
    and a table without any association (all rows proportional: total inertia 0).
    """
    counts = _counts(table)
    values = counts.to_numpy(dtype=float)
    n = float(values.sum())
    p = values / n
    row_mass = p.sum(axis=1)
    column_mass = p.sum(axis=0)
    expected = np.outer(row_mass, column_mass)
    residuals = (p - expected) / np.sqrt(expected)

    u, singular, vt = np.linalg.svd(residuals, full_matrices=False)
    dimensions = min(values.shape) - 1
    singular = singular[:dimensions]
    total = float((residuals**2).sum())
    if total <= 1e-12:
        raise AnalysisError(
            "The table shows no association between rows and columns (total inertia 0: "
            "every row has the same profile), so there is nothing to map."
        )

    rows = u[:, :dimensions] * singular / np.sqrt(row_mass)[:, None]
    columns = vt.T[:, :dimensions] * singular / np.sqrt(column_mass)[:, None]
    # Deterministic signs: the column farthest from the origin is on the positive side.
    signs = np.sign(columns[np.argmax(np.abs(columns), axis=0), np.arange(dimensions)])
    signs[signs == 0] = 1.0
    rows *= signs
    columns *= signs

    names = [f"dim{k}" for k in range(1, dimensions + 1)]
    inertias = pd.Series(singular**2, index=names, name="inertia")
    chi2 = n * total
    dof = (values.shape[0] - 1) * (values.shape[1] - 1)
    return Correspondence(
        inertias=inertias,
        total_inertia=total,
        percent=(100 * inertias / total).rename("percent"),
        chi2=chi2,
        dof=dof,
        p_value=float(stats.chi2.sf(chi2, dof)),
        n=n,
        row_masses=pd.Series(row_mass, index=counts.index, name="mass"),
        column_masses=pd.Series(column_mass, index=counts.columns, name="mass"),
        row_coordinates=pd.DataFrame(rows, index=counts.index, columns=names),
        column_coordinates=pd.DataFrame(columns, index=counts.columns, columns=names),
    )


def _counts(table: pd.DataFrame | Any) -> pd.DataFrame:
    """The table as a float DataFrame, or an :class:`AnalysisError` saying what is wrong."""
    if isinstance(table, pd.DataFrame):
        frame = table
    else:
        array = np.asarray(table)
        if array.ndim != 2:
            raise AnalysisError(
                f"A contingency table must be two-dimensional; got {array.ndim} dimension(s)."
            )
        frame = pd.DataFrame(array)
    if frame.size == 0:
        raise AnalysisError("The table is empty.")
    if frame.shape[0] < 2 or frame.shape[1] < 2:
        raise AnalysisError(
            f"Correspondence analysis needs at least 2 rows and 2 columns; "
            f"the table has {frame.shape[0]} row(s) and {frame.shape[1]} column(s)."
        )
    for axis, labels in (("row", frame.index), ("column", frame.columns)):
        duplicated = labels[labels.duplicated()].unique().tolist()
        if duplicated:
            raise AnalysisError(f"Duplicate {axis} label(s): {duplicated}.")

    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            for row, cell in series.items():
                if not _is_missing(cell) and not _is_number(cell):
                    raise AnalysisError(f"Cell ({row!r}, {column!r}) is not a number: {cell!r}.")
    values = frame.to_numpy(dtype=float, na_value=np.nan)
    for (i, j), message in (
        (_first(~np.isfinite(values)), "is missing or infinite"),
        (_first(values < 0), "is negative"),
    ):
        if i is not None:
            raise AnalysisError(
                f"Cell ({frame.index[i]!r}, {frame.columns[j]!r}) {message}: "
                f"{frame.iat[i, j]!r}; counts must be non-negative numbers."
            )
    for axis, labels, sums in (
        ("Row", frame.index, values.sum(axis=1)),
        ("Column", frame.columns, values.sum(axis=0)),
    ):
        empty = [label for label, total in zip(labels, sums, strict=True) if total == 0]
        if empty:
            raise AnalysisError(f"{axis}(s) {empty} sum to zero: remove them before the analysis.")
    return pd.DataFrame(values, index=frame.index, columns=frame.columns)


def _is_missing(cell: object) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell))


def _is_number(cell: object) -> bool:
    return isinstance(cell, numbers.Real) and not isinstance(cell, bool | np.bool_)


def _first(mask: np.ndarray) -> tuple[int | None, int | None]:
    """Row and column positions of the first true cell of ``mask``, or ``(None, None)``."""
    found = np.argwhere(mask)
    if len(found) == 0:
        return None, None
    return int(found[0][0]), int(found[0][1])
