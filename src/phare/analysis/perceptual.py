"""Perceptual maps: where alternatives and attributes sit on two axes, and where preference points.

A perceptual map is drawn from a table of mean ratings, alternatives (rows) × attributes
(columns). Two methods, chosen by the study:

``ca_map`` — correspondence analysis (Greenacre 2017, chapters 4–8 and 12; the maths is
    :func:`phare.analysis.correspondence.correspondence`, called here, not repeated). The map is
    *symmetric*: rows and columns both in principal coordinates on dimensions 1–2. A point's
    ``quality`` is its squared cosine with the plane: the share of its squared chi-square
    distance to the centroid (computed from its profile, in the full space) that dimensions 1
    and 2 show. Supplementary rows (say, the internal alternative as one group of respondents
    sees it) are placed with the transition formula, ``f = profile · Γ``, ``Γ`` the columns'
    standard coordinates (principal coordinates divided by the singular value): they take no
    part in the axes, and an active row passed again as supplementary lands on itself.

``pca_biplot`` — principal component analysis of the column-centred table (covariance PCA:
    alternatives are the observations, attributes the variables) through the singular value
    decomposition ``X − 1 x̄ᵀ = U Σ Vᵀ``. It is a *form* biplot (Gabriel 1971; Gower, Lubbe & le
    Roux 2011): rows at principal coordinates ``U Σ``, columns as vectors in standard
    coordinates ``V``, so that a row's coordinates times a column's vector give the row's
    (centred) value on that column, exactly on all dimensions and as well as the quality says
    on the first two. ``inertias`` are the eigenvalues ``σ_k² / n`` with ``n`` the number of rows
    — the alternatives are the whole population of interest, not a sample — so they add up to
    the sum of the columns' variances (divisor ``n``); ``percent`` does not depend on that choice.
    Row quality is the squared cosine with the plane; column quality is the share of the
    column's variance that dimensions 1–2 explain. Supplementary rows are centred with the
    *active* column means and projected on ``V``.

``ideal_direction`` — the direction of preference on the map, by property fitting (vector
    model): preference (e.g. the share of respondents who would turn to each alternative first)
    regressed by weighted least squares, with an intercept, on the points' coordinates; the
    direction is the unit vector of the two slopes, with the fit's R².

Reading the map (:func:`reading_rule` returns it in plain English):

- In a symmetric CA map, the distance between two rows (or two columns) approximates their
  chi-square distance: close rows have similar profiles. The distance between a row and a
  column means nothing; only directions from the origin do — a row lies towards the columns
  over-represented in its profile (Greenacre 2017, ch. 8; Gower et al. 2014 call reading
  row-to-column distances "the ugly").
- In a PCA form biplot, distances between rows approximate Euclidean distances between their
  rating profiles; a row's projection on a column's vector reads that column's value (higher
  in the vector's direction). The distance from a row to the tip of a vector means nothing.

The sign of an axis is arbitrary. Both methods fix it so that, on every dimension, the column
with the largest absolute coordinate (the first one on a tie) is on the positive side, as
``correspondence`` does: the same table always gives the same map.

A point exactly at the centroid (a profile equal to the average) has nothing to represent: its
quality is 1, as the map shows it exactly.

References
----------
- Greenacre M. (2017). *Correspondence Analysis in Practice*, 3rd ed. Chapman & Hall/CRC.
- Gower J.C., Groenen P.J.F., van de Velden M., Vines K. (2014). Perceptual maps: the good, the
  bad and the ugly. *Journal of Marketing Analytics* 2(2):61-78.
- Gabriel K.R. (1971). The biplot graphic display of matrices with application to principal
  component analysis. *Biometrika* 58(3):453-467.
- Gower J.C., Lubbe S., le Roux N. (2011). *Understanding Biplots*. Wiley.
- Carroll J.D. (1972). Individual differences and multidimensional scaling (the vector model of
  preference). In *Multidimensional Scaling*, vol. 1, Seminar Press.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from phare.analysis.correspondence import correspondence
from phare.analysis.errors import AnalysisError

METHODS: tuple[str, ...] = ("ca", "pca")

READING_RULES: dict[str, str] = {
    "ca": (
        "Alternatives close together have similar profiles across the attributes, and "
        "attributes close together have similar profiles across the alternatives. The distance "
        "between an alternative and an attribute means nothing: look at directions from the "
        "centre instead, as an alternative lies towards the attributes on which it stands out "
        "compared with the others."
    ),
    "pca": (
        "Alternatives close together are rated alike. Each attribute is an arrow from the "
        "centre: project an alternative onto an attribute's arrow to read how it is rated on "
        "that attribute, higher in the arrow's direction. The distance between an alternative "
        "and the tip of an arrow means nothing."
    ),
}

# Below this share of the total, a dimension's inertia is rounding error, not an axis.
_ZERO = 1e-12

_POINT_COLUMNS = ["x", "y", "quality", "mass"]
_SUPPLEMENTARY_COLUMNS = ["x", "y", "quality"]


@dataclass(frozen=True)
class IdealDirection:
    """Where preference increases on the map: a unit vector on dimensions 1–2, and its fit."""

    x: float
    y: float
    coefficients: tuple[float, float]
    """The weighted least-squares slopes of preference on the points' x and y."""
    intercept: float
    r2: float
    """Weighted R² of the fit (1 = preference is exactly linear in the position)."""
    n: int
    """Points used (those with a positive weight)."""


@dataclass(frozen=True)
class PerceptualMap:
    """A two-dimensional map of a table's rows and columns; see the module docstring."""

    method: str
    """``"ca"`` or ``"pca"``."""
    table: pd.DataFrame
    """The table the map was computed from (rows × columns), as floats."""
    rows: pd.DataFrame
    """Index = row labels; columns ``x``, ``y``, ``quality``, ``mass`` (NaN for pca)."""
    columns: pd.DataFrame
    """Index = the table's column labels; same columns as ``rows``."""
    supplementary: pd.DataFrame
    """Index = supplementary row labels; columns ``x``, ``y``, ``quality`` (empty when none)."""
    inertias: pd.Series
    """Principal inertias (ca) or eigenvalues (pca) of every dimension, largest first."""
    total_inertia: float
    percent: pd.Series
    """Each dimension's share of the total inertia, in percent (adds up to 100)."""


def reading_rule(method: str) -> str:
    """How to read a map made by ``method`` (``"ca"`` or ``"pca"``), in plain English."""
    if method not in READING_RULES:
        raise AnalysisError(f"method: must be one of {list(METHODS)}, got {method!r}")
    return READING_RULES[method]


# --- Correspondence analysis ----------------------------------------------------------------


def ca_map(
    table: pd.DataFrame, *, supplementary_rows: pd.DataFrame | None = None
) -> PerceptualMap:
    """Symmetric correspondence-analysis map of ``table``, a non-negative DataFrame.

    Rows and columns are placed at principal coordinates on dimensions 1–2; supplementary rows
    (same columns as ``table``, any order) are projected onto those axes. Raises
    :class:`AnalysisError` for a table with fewer than 3 rows or 3 columns (it has fewer than
    two dimensions), for what :func:`correspondence` refuses (missing, negative or non-numeric
    cells, empty rows or columns, no association), for a table whose rows lie on one line (no
    second dimension), and for supplementary rows with other columns, missing, negative or
    non-numeric cells or a zero sum.
    """
    _check_shape(table, "table", min_columns=3)
    result = correspondence(table)
    values = table.to_numpy(dtype=float)
    frame = pd.DataFrame(values, index=table.index, columns=table.columns)
    _check_second_dimension(result.inertias.to_numpy(), result.total_inertia)

    row_profiles = values / values.sum(axis=1, keepdims=True)
    column_profiles = (values / values.sum(axis=0, keepdims=True)).T
    rows_xy = result.row_coordinates.to_numpy()[:, :2]
    columns_xy = result.column_coordinates.to_numpy()[:, :2]
    rows = _points(
        rows_xy,
        _quality(rows_xy, _chi2_distances(row_profiles, result.column_masses.to_numpy())),
        result.row_masses.to_numpy(),
        frame.index,
    )
    columns = _points(
        columns_xy,
        _quality(columns_xy, _chi2_distances(column_profiles, result.row_masses.to_numpy())),
        result.column_masses.to_numpy(),
        frame.columns,
    )

    supplementary = _empty_supplementary()
    if supplementary_rows is not None:
        extra = _supplementary(supplementary_rows, frame, non_negative=True)
        profiles = extra.to_numpy() / extra.to_numpy().sum(axis=1, keepdims=True)
        singular = np.sqrt(result.inertias.to_numpy()[:2])
        standard = columns_xy / singular  # the columns' standard coordinates on dims 1-2
        xy = profiles @ standard
        quality = _quality(xy, _chi2_distances(profiles, result.column_masses.to_numpy()))
        supplementary = _points(xy, quality, None, extra.index)[_SUPPLEMENTARY_COLUMNS]

    return PerceptualMap(
        method="ca",
        table=frame,
        rows=rows,
        columns=columns,
        supplementary=supplementary,
        inertias=result.inertias,
        total_inertia=result.total_inertia,
        percent=result.percent,
    )


def _chi2_distances(profiles: np.ndarray, centroid: np.ndarray) -> np.ndarray:
    """Squared chi-square distance of each profile (a row of ``profiles``) to ``centroid``."""
    return np.asarray((((profiles - centroid) ** 2) / centroid).sum(axis=1))


# --- Principal component analysis -----------------------------------------------------------


def pca_biplot(
    means: pd.DataFrame, *, supplementary_rows: pd.DataFrame | None = None
) -> PerceptualMap:
    """Form biplot of the column-centred ``means`` (rows = alternatives, columns = attributes).

    Rows at principal coordinates ``U Σ``, columns as standard-coordinate vectors ``V``;
    ``inertias`` are eigenvalues ``σ² / rows``. Supplementary rows are centred with the active
    column means and projected on ``V``. Raises :class:`AnalysisError` for fewer than 3 rows or
    2 columns, duplicate labels, missing, infinite or non-numeric cells, rows that all lie on one
    line (fewer than two dimensions), and supplementary rows with other columns or bad cells.
    """
    _check_shape(means, "means", min_columns=2)
    frame = _numbers(means, "means", non_negative=False)
    values = frame.to_numpy()
    centre = values.mean(axis=0)
    centred = values - centre
    dimensions = min(values.shape[0] - 1, values.shape[1])
    u, singular, vt = np.linalg.svd(centred, full_matrices=False)
    u, singular, v = u[:, :dimensions], singular[:dimensions], vt.T[:, :dimensions]
    eigenvalues = singular**2 / values.shape[0]
    total = float((centred**2).sum() / values.shape[0])
    if total <= _ZERO * max(1.0, float((values**2).mean())):
        raise AnalysisError(
            "means: every row has the same values (no variance), so there is nothing to map."
        )
    _check_second_dimension(eigenvalues, total)

    # Deterministic signs: the column with the largest loading is on the positive side.
    signs = np.sign(v[np.argmax(np.abs(v), axis=0), np.arange(dimensions)])
    signs[signs == 0] = 1.0
    u, v = u * signs, v * signs
    scores = u * singular

    column_variance = (v**2 * eigenvalues).sum(axis=1)
    explained = (v[:, :2] ** 2 * eigenvalues[:2]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        column_quality = np.where(
            column_variance > _ZERO * total, explained / column_variance, 1.0
        )
    rows = _points(
        scores[:, :2], _quality(scores[:, :2], (centred**2).sum(axis=1)), None, frame.index
    )
    columns = _points(v[:, :2], column_quality, None, frame.columns)

    supplementary = _empty_supplementary()
    if supplementary_rows is not None:
        extra = _supplementary(supplementary_rows, frame, non_negative=False)
        extra_centred = extra.to_numpy() - centre
        xy = extra_centred @ v[:, :2]
        quality = _quality(xy, (extra_centred**2).sum(axis=1))
        supplementary = _points(xy, quality, None, extra.index)[_SUPPLEMENTARY_COLUMNS]

    names = [f"dim{k}" for k in range(1, dimensions + 1)]
    inertias = pd.Series(eigenvalues, index=names, name="inertia")
    return PerceptualMap(
        method="pca",
        table=frame,
        rows=rows,
        columns=columns,
        supplementary=supplementary,
        inertias=inertias,
        total_inertia=total,
        percent=(100 * inertias / total).rename("percent"),
    )


# --- Ideal direction ------------------------------------------------------------------------


def ideal_direction(
    points: pd.DataFrame, preference: pd.Series, *, weights: pd.Series | None = None
) -> IdealDirection:
    """The direction on the map in which ``preference`` grows (vector model, weighted LS).

    ``points`` has columns ``x`` and ``y`` (index = labels, e.g. ``PerceptualMap.rows``);
    ``preference`` and the optional ``weights`` are Series indexed by the same labels (any
    order). Points with weight 0 take no part. Raises :class:`AnalysisError` naming the labels
    for missing or extra labels, missing or non-numeric values, negative weights, fewer than 4
    points, a constant preference, points on one line, and a preference that does not vary
    with the position (both slopes 0).
    """
    if not isinstance(points, pd.DataFrame):
        raise AnalysisError(f"points: expected a DataFrame, got {type(points).__name__}")
    missing_columns = [c for c in ("x", "y") if c not in points.columns]
    if missing_columns:
        raise AnalysisError(f"points: missing column(s) {missing_columns}")
    _check_unique(points.index, "points", "row")
    xy = _numbers(points[["x", "y"]], "points", non_negative=False).to_numpy()
    labels = points.index
    values = _aligned(preference, labels, "preference", non_negative=False)
    if weights is None:
        w = np.ones(len(labels))
    else:
        w = _aligned(weights, labels, "weights", non_negative=True)
    used = w > 0
    n = int(used.sum())
    if n < 4:
        raise AnalysisError(
            f"An ideal direction needs at least 4 points with a positive weight; got {n}."
        )
    xy, values, w = xy[used], values[used], w[used]
    w = w / w.sum()
    mean = float(w @ values)
    total = float(w @ (values - mean) ** 2)
    if total <= _ZERO * max(1.0, mean**2):
        raise AnalysisError(
            f"preference: it is the same ({values[0]:g}) for every point, so it points nowhere."
        )
    design = np.column_stack([np.ones(n), xy])
    root = np.sqrt(w)
    if np.linalg.matrix_rank(design * root[:, None]) < 3:
        raise AnalysisError(
            "points: they lie on one line, so preference cannot be split between x and y."
        )
    beta, *_ = np.linalg.lstsq(design * root[:, None], values * root, rcond=None)
    residual = float(w @ (values - design @ beta) ** 2)
    slopes = beta[1:]
    norm = float(np.hypot(*slopes))
    if norm <= _ZERO * math.sqrt(total):
        raise AnalysisError(
            "preference: it does not vary with the position on the map (both slopes are 0)."
        )
    return IdealDirection(
        x=float(slopes[0] / norm),
        y=float(slopes[1] / norm),
        coefficients=(float(slopes[0]), float(slopes[1])),
        intercept=float(beta[0]),
        r2=float(min(1.0, max(0.0, 1 - residual / total))),
        n=n,
    )


# --- Shared checks and frames ---------------------------------------------------------------


def _check_shape(table: object, name: str, *, min_columns: int) -> None:
    if not isinstance(table, pd.DataFrame):
        raise AnalysisError(f"{name}: expected a DataFrame, got {type(table).__name__}")
    rows, columns = table.shape
    if rows < 3 or columns < min_columns:
        raise AnalysisError(
            f"{name}: a map needs at least 3 rows and {min_columns} columns (two dimensions); "
            f"the table has {rows} row(s) and {columns} column(s)."
        )
    _check_unique(table.index, name, "row")
    _check_unique(table.columns, name, "column")


def _check_unique(labels: pd.Index, name: str, axis: str) -> None:
    duplicated = labels[labels.duplicated()].unique().tolist()
    if duplicated:
        raise AnalysisError(f"{name}: duplicate {axis} label(s) {duplicated}")


def _check_second_dimension(inertias: np.ndarray, total: float) -> None:
    if len(inertias) < 2 or inertias[1] <= _ZERO * total:
        raise AnalysisError(
            "The rows lie on a single line (the second dimension holds no inertia), so a "
            "two-dimensional map would show nothing more than a ranking."
        )


def _numbers(frame: pd.DataFrame, name: str, *, non_negative: bool) -> pd.DataFrame:
    """``frame`` as floats, or an error naming the first bad cell by row and column label."""
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            for row, cell in series.items():
                if not _is_number(cell):
                    raise AnalysisError(
                        f"{name}: cell ({_shown(row)}, {_shown(column)}) is not a number: "
                        f"{cell!r}"
                    )
    values = frame.to_numpy(dtype=float, na_value=np.nan)
    bad = [(~np.isfinite(values), "is missing or infinite")]
    if non_negative:
        bad.append((values < 0, "is negative"))
    for mask, message in bad:
        found = np.argwhere(mask)
        if len(found):
            i, j = int(found[0][0]), int(found[0][1])
            raise AnalysisError(
                f"{name}: cell ({_shown(frame.index[i])}, {_shown(frame.columns[j])}) "
                f"{message}: {_shown(frame.iat[i, j])}"
            )
    return pd.DataFrame(values, index=frame.index, columns=frame.columns)


def _shown(value: object) -> str:
    """A label as Python shows it (``7``, ``'it'``), not as a numpy scalar (``np.int64(7)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _is_number(cell: object) -> bool:
    return isinstance(cell, numbers.Real) and not isinstance(cell, bool | np.bool_)


def _supplementary(
    extra: pd.DataFrame, table: pd.DataFrame, *, non_negative: bool
) -> pd.DataFrame:
    """Supplementary rows with exactly ``table``'s columns, in its order, as checked floats."""
    name = "supplementary_rows"
    if not isinstance(extra, pd.DataFrame):
        raise AnalysisError(f"{name}: expected a DataFrame, got {type(extra).__name__}")
    _check_unique(extra.index, name, "row")
    _check_unique(extra.columns, name, "column")
    missing = [c for c in table.columns if c not in extra.columns]
    unknown = [c for c in extra.columns if c not in table.columns]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {missing}")
        if unknown:
            parts.append(f"column(s) {unknown} not in the table")
        raise AnalysisError(
            f"{name}: must have the table's columns exactly; {' and '.join(parts)}"
        )
    checked = _numbers(extra[list(table.columns)], name, non_negative=non_negative)
    if non_negative:
        empty = checked.index[checked.sum(axis=1) == 0].tolist()
        if empty:
            raise AnalysisError(f"{name}: row(s) {empty} sum to zero, so they have no profile")
    return checked


def _aligned(
    series: pd.Series, labels: pd.Index, name: str, *, non_negative: bool
) -> np.ndarray:
    """``series`` reordered to ``labels``, checked: one finite number for every label."""
    if not isinstance(series, pd.Series):
        raise AnalysisError(f"{name}: expected a Series indexed by label, got "
                            f"{type(series).__name__}")
    _check_unique(series.index, name, "row")
    missing = [label for label in labels if label not in series.index]
    unknown = [label for label in series.index if label not in labels]
    if missing:
        raise AnalysisError(f"{name}: no value for point(s) {missing}")
    if unknown:
        raise AnalysisError(f"{name}: label(s) {unknown} are not points of the map")
    checked = _numbers(series.loc[labels].to_frame(name), name, non_negative=non_negative)
    return checked[name].to_numpy()


def _quality(xy: np.ndarray, squared_distances: np.ndarray) -> np.ndarray:
    """Squared cosine with the plane; 1 for a point at the centroid (shown exactly)."""
    shown = (xy**2).sum(axis=1)
    scale = max(1.0, float(squared_distances.max(initial=0.0)))
    with np.errstate(invalid="ignore", divide="ignore"):
        quality = np.where(
            squared_distances > _ZERO * scale, shown / squared_distances, 1.0
        )
    return np.minimum(quality, 1.0)


def _points(
    xy: np.ndarray, quality: np.ndarray, mass: np.ndarray | None, labels: pd.Index
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "quality": quality,
            "mass": np.full(len(labels), np.nan) if mass is None else mass,
        },
        index=labels,
    )[_POINT_COLUMNS]


def _empty_supplementary() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float) for c in _SUPPLEMENTARY_COLUMNS})
