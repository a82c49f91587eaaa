"""Key-driver analysis: how much of an outcome's explained variance each driver accounts for.

``key_drivers`` regresses an outcome (say, overall satisfaction) on a set of drivers (ratings of
the service's attributes) and splits the model's R² between the drivers, so that the shares add
up to R². Two methods:

``"shapley"`` — the exact Shapley value of R², known in regression as LMG (Lindeman, Merenda &
    Gold 1980) and computed by R's ``relaimpo`` as ``type = "lmg"`` (Grömping 2006, *Relative
    importance for linear regression in R: the package relaimpo*, J. Stat. Software 17(1)). A
    driver's share is the increase in R² when it joins the model, averaged over every order in
    which the drivers can enter. Instead of walking the p! orders, it fits the 2^p sub-models
    once each, from the correlation matrix (R²(S) = r_S' R_SS⁻¹ r_S), and weights the increase
    from S to S ∪ {j} by |S|! (p − |S| − 1)! / p!. That is 32,768 small solves for the maximum of
    15 drivers; beyond that, use relative weights.

``"relative_weights"`` — Johnson's relative weights (Johnson 2000, *A heuristic method for
    estimating the relative weight of predictor variables in multiple regression*, Multivariate
    Behavioral Research 35(1)), as computed by R's ``rwa`` package: with R_xx = V Λ V', the
    drivers are replaced by their closest orthogonal counterparts through Λ½ = V Λ^½ V'; the
    outcome is regressed on those (β = Λ½⁻¹ r_xy) and the raw weight of driver j is
    Σ_k (Λ½_jk)² β_k². Raw weights sum to R². Works for any number of drivers; it approximates
    the Shapley values closely and equals them when the drivers are uncorrelated.

Both methods work on Pearson correlations, so they do not depend on the units (or any linear
rescaling) of the drivers or the outcome, nor on the order in which drivers are listed. Rows with
a missing value in the outcome or in any driver are dropped (listwise, as ``lm`` does) and
counted in ``dropped``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from math import comb
from typing import Literal

import numpy as np
import pandas as pd

from phare.analysis.errors import AnalysisError

Method = Literal["shapley", "relative_weights"]
METHODS: tuple[str, ...] = ("shapley", "relative_weights")

#: The exact Shapley decomposition fits 2^p sub-models; past this it is relative weights' job.
MAX_SHAPLEY_DRIVERS = 15

# A singular value of the standardised drivers this small, relative to the largest, means one
# driver is a linear combination of others (the correlation matrix's condition number would be
# above 1e14, leaving no accurate digit in the sub-model fits).
_COLLINEARITY_TOLERANCE = 1e-7


@dataclass(frozen=True)
class KeyDriversResult:
    """The split of the outcome's explained variance (R²) between the drivers."""

    method: str
    outcome: str
    r2: float
    """R² of the ordinary least-squares fit of the outcome on all drivers (with an intercept)."""
    shares: pd.Series
    """Each driver's raw share of R², indexed by driver, in the order given; sums to ``r2``."""
    percent: pd.Series
    """Each driver's share as a percentage of R²; sums to 100."""
    n: int
    """Observations used (complete rows)."""
    dropped: int
    """Rows dropped because the outcome or a driver was missing."""

    def as_frame(self) -> pd.DataFrame:
        """One row per driver, largest share first: driver, share, percent, rank (1 = largest)."""
        table = pd.DataFrame(
            {
                "driver": self.shares.index,
                "share": self.shares.to_numpy(),
                "percent": self.percent.to_numpy(),
            }
        )
        table = table.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)
        table["rank"] = np.arange(1, len(table) + 1)
        return table


def key_drivers(
    frame: pd.DataFrame,
    *,
    outcome: str,
    drivers: Sequence[str],
    method: Method = "shapley",
) -> KeyDriversResult:
    """Split the R² of ``outcome`` regressed on ``drivers`` between the drivers.

    ``frame`` holds one row per observation (respondent) and numeric columns. ``method`` is
    ``"shapley"`` (exact LMG, up to 15 drivers) or ``"relative_weights"`` (Johnson 2000, any
    number); see the module documentation for both methods and their references.

    Raises :class:`AnalysisError` for an empty frame, unknown or non-numeric columns, infinite
    values, a constant column, fewer complete rows than drivers + 2, perfectly collinear
    drivers, an outcome the drivers do not explain at all (R² = 0), or more than 15 drivers with
    ``method="shapley"``.
    """
    names = _check_arguments(frame, outcome=outcome, drivers=drivers, method=method)
    complete, dropped = _complete_rows(frame, outcome, names)
    n, p = complete.shape[0], len(names)
    if n < p + 2:
        raise AnalysisError(
            f"key drivers need at least {p + 2} complete rows for {p} driver(s) "
            f"(drivers + 2); got {n} after dropping {dropped} row(s) with a missing value"
        )
    _reject_constant_columns(complete, [outcome, *names])

    standardised = _standardise(complete)
    z_drivers, z_outcome = standardised[:, 1:], standardised[:, 0]
    _reject_collinear_drivers(z_drivers, names)
    corr_xx = z_drivers.T @ z_drivers / (n - 1)
    corr_xy = z_drivers.T @ z_outcome / (n - 1)

    r2 = float(corr_xy @ np.linalg.solve(corr_xx, corr_xy))
    if r2 <= 1e-12:
        raise AnalysisError(
            f"the drivers explain none of the variance of {outcome!r} (R² = 0): "
            "there is nothing to split between them"
        )
    if method == "shapley":
        raw = _shapley_r2_shares(corr_xx, corr_xy)
    else:
        raw = _relative_weights(corr_xx, corr_xy)

    shares = pd.Series(raw, index=pd.Index(names, name="driver"), name="share")
    percent = (shares / r2 * 100.0).rename("percent")
    return KeyDriversResult(
        method=method,
        outcome=outcome,
        r2=r2,
        shares=shares,
        percent=percent,
        n=n,
        dropped=dropped,
    )


# --- the two decompositions, on correlations -------------------------------------------------


def _subset_r2(corr_xx: np.ndarray, corr_xy: np.ndarray) -> np.ndarray:
    """R² of every sub-model, indexed by the bit mask of its drivers (bit j = driver j).

    Sub-models of the same size are solved together as one stacked linear system.
    """
    p = len(corr_xy)
    r2 = np.zeros(1 << p)
    for size in range(1, p + 1):
        members = np.array(list(itertools.combinations(range(p), size)), dtype=np.intp)
        r_s = corr_xy[members]
        r_ss = corr_xx[members[:, :, None], members[:, None, :]]
        beta = np.linalg.solve(r_ss, r_s[:, :, None])[:, :, 0]
        masks = (np.left_shift(1, members)).sum(axis=1)
        r2[masks] = np.einsum("ij,ij->i", r_s, beta)
    return r2


def _shapley_r2_shares(corr_xx: np.ndarray, corr_xy: np.ndarray) -> np.ndarray:
    """Exact Shapley values (LMG) of R²: weighted increases over all subsets, not orderings."""
    p = len(corr_xy)
    r2 = _subset_r2(corr_xx, corr_xy)
    masks = np.arange(1 << p)
    sizes = np.array([bin(mask).count("1") for mask in range(1 << p)])
    # Share of the orderings in which exactly the drivers of S precede j: |S|!(p-|S|-1)!/p!.
    weight_by_size = np.array([1.0 / (p * comb(p - 1, k)) for k in range(p)])
    shares = np.empty(p)
    for j in range(p):
        without_j = masks[(masks >> j) & 1 == 0]
        gains = r2[without_j | (1 << j)] - r2[without_j]
        shares[j] = weight_by_size[sizes[without_j]] @ gains
    return shares


def _relative_weights(corr_xx: np.ndarray, corr_xy: np.ndarray) -> np.ndarray:
    """Johnson's (2000) raw relative weights, which sum to R²."""
    eigenvalues, eigenvectors = np.linalg.eigh(corr_xx)
    # Λ½: the symmetric square root of R_xx, the loadings of the drivers on their closest
    # orthogonal counterparts.
    root = eigenvectors @ np.diag(np.sqrt(eigenvalues)) @ eigenvectors.T
    beta = np.linalg.solve(root, corr_xy)
    return (root**2) @ (beta**2)


# --- checks ----------------------------------------------------------------------------------


def _check_arguments(
    frame: pd.DataFrame, *, outcome: str, drivers: Sequence[str], method: str
) -> list[str]:
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisError(f"key drivers need a pandas DataFrame, got {type(frame).__name__}")
    if method not in METHODS:
        raise AnalysisError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if isinstance(drivers, str):
        raise AnalysisError(f"drivers must be a list of column names, not the string {drivers!r}")
    try:
        names = list(drivers)
    except TypeError:
        raise AnalysisError("drivers must be a list of column names") from None
    if not names:
        raise AnalysisError("key drivers need at least one driver column")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise AnalysisError(f"drivers listed more than once: {_quoted(duplicates)}")
    if outcome in names:
        raise AnalysisError(f"the outcome {outcome!r} is also listed as a driver")
    if method == "shapley" and len(names) > MAX_SHAPLEY_DRIVERS:
        raise AnalysisError(
            f"the exact Shapley decomposition handles at most {MAX_SHAPLEY_DRIVERS} drivers "
            f"(it fits 2^p sub-models); got {len(names)}: use method='relative_weights'"
        )
    if frame.empty:
        raise AnalysisError("the frame is empty: no rows to analyse")
    unknown = [name for name in [outcome, *names] if name not in frame.columns]
    if unknown:
        raise AnalysisError(f"unknown column(s): {_quoted(unknown)}")
    non_numeric = [
        name
        for name in [outcome, *names]
        if not pd.api.types.is_numeric_dtype(frame[name])
        or pd.api.types.is_complex_dtype(frame[name])
    ]
    if non_numeric:
        raise AnalysisError(f"non-numeric column(s): {_quoted(non_numeric)}")
    return names


def _complete_rows(frame: pd.DataFrame, outcome: str, drivers: list[str]) -> tuple[np.ndarray, int]:
    """The outcome (first column) and drivers as floats, rows with a missing value removed."""
    values = frame[[outcome, *drivers]].to_numpy(dtype="float64", na_value=np.nan)
    infinite = [
        name
        for name, column in zip([outcome, *drivers], values.T, strict=True)
        if np.isinf(column).any()
    ]
    if infinite:
        raise AnalysisError(f"infinite value(s) in column(s): {_quoted(infinite)}")
    keep = ~np.isnan(values).any(axis=1)
    return values[keep], int((~keep).sum())


def _reject_constant_columns(values: np.ndarray, names: list[str]) -> None:
    constant = [
        name for name, column in zip(names, values.T, strict=True) if column.max() == column.min()
    ]
    if constant:
        raise AnalysisError(
            f"constant column(s) over the complete rows: {_quoted(constant)} "
            "(a column that does not vary explains nothing and cannot be explained)"
        )


def _standardise(values: np.ndarray) -> np.ndarray:
    centred = values - values.mean(axis=0)
    return centred / centred.std(axis=0, ddof=1)


def _reject_collinear_drivers(z_drivers: np.ndarray, names: list[str]) -> None:
    """Say which drivers are exact linear functions of which others, if any are."""
    if len(names) < 2:
        return
    singular_values = np.linalg.svd(z_drivers, compute_uv=False)
    if singular_values[-1] >= _COLLINEARITY_TOLERANCE * singular_values[0]:
        return
    # Walk the drivers in the order given: each one that the earlier independent ones reproduce
    # exactly is reported with the drivers it depends on.
    independent: list[int] = []
    dependencies: list[str] = []
    for j, column in enumerate(z_drivers.T):
        if independent:
            basis = z_drivers[:, independent]
            coefficients = np.linalg.lstsq(basis, column, rcond=None)[0]
            residual = column - basis @ coefficients
            if np.linalg.norm(residual) < _COLLINEARITY_TOLERANCE * np.linalg.norm(column):
                partners = [names[independent[i]] for i in np.flatnonzero(abs(coefficients) > 1e-6)]
                dependencies.append(
                    f"{names[j]!r} is an exact linear function of {_quoted(partners)}"
                )
                continue
        independent.append(j)
    detail = "; ".join(dependencies) or f"among {_quoted(names)}"
    raise AnalysisError(
        f"perfectly collinear drivers: {detail} (their separate contributions are not "
        "defined); drop one driver of each group"
    )


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in names)
