from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA

from phare.analysis.errors import AnalysisError
from phare.analysis.perceptual import (
    PerceptualMap,
    ca_map,
    ideal_direction,
    pca_biplot,
    reading_rule,
)

SMOKE = Path(__file__).parents[2].parent / "shared/reference/statistics/smoke.csv"

# Greenacre's smoking table, published results (R package ``ca``; ../shared/reference/README.md).
INERTIAS = [0.074759, 0.010017, 0.000414]
PERCENT = [87.76, 11.76, 0.49]
TOTAL = 0.085190
ROWS = {
    "SM": (-0.065768, -0.193737),
    "JM": (0.258958, -0.243305),
    "SE": (-0.380595, -0.010660),
    "JE": (0.232952, 0.057744),
    "SC": (-0.201089, 0.078911),
}
COLUMNS = {
    "none": (-0.393308, -0.030492),
    "light": (0.099456, 0.141064),
    "medium": (0.196321, 0.007359),
    "heavy": (0.293776, -0.197766),
}

# Mean ratings of 5 alternatives on 4 attributes (a 1-5 scale).
MEANS = pd.DataFrame(
    [[3.9, 3.1, 4.2, 2.5], [3.2, 4.4, 3.0, 3.8], [2.6, 3.7, 2.2, 4.1],
     [4.1, 2.4, 3.6, 3.0], [3.0, 3.3, 3.9, 2.2]],
    index=["it", "saas", "shadow", "vendor", "diy"],
    columns=["speed", "price", "security", "ease"],
)


@pytest.fixture
def smoke() -> pd.DataFrame:
    if not SMOKE.exists():
        pytest.skip(f"reference folder absent: {SMOKE} (CI always has ../shared/reference)")
    return pd.read_csv(SMOKE, index_col="staff_group")


def _plain_ca(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Correspondence analysis written out with numpy, independent of the module."""
    n = table.to_numpy(dtype=float)
    p = n / n.sum()
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sv, vt = np.linalg.svd(s, full_matrices=False)
    k = min(n.shape) - 1
    f = u[:, :k] * sv[:k] / np.sqrt(r)[:, None]
    g = vt.T[:, :k] * sv[:k] / np.sqrt(c)[:, None]
    return {
        "r": r, "c": c, "sv": sv[:k], "f": f, "g": g,
        "gamma": vt.T[:, :k] / np.sqrt(c)[:, None],  # column standard coordinates
        "row_quality": (f[:, :2] ** 2).sum(axis=1) / (f**2).sum(axis=1),
        "column_quality": (g[:, :2] ** 2).sum(axis=1) / (g**2).sum(axis=1),
    }


def _signs(found: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """The sign of each axis that makes ``found`` agree with ``expected`` (column by column)."""
    signs = np.sign((found * expected).sum(axis=0))
    assert (signs != 0).all()
    return signs


def test_it_reproduces_greenacres_smoke_table(smoke):
    result = ca_map(smoke)

    assert isinstance(result, PerceptualMap)
    assert result.method == "ca"
    np.testing.assert_allclose(result.inertias.to_numpy(), INERTIAS, atol=1e-5)
    np.testing.assert_allclose(result.percent.to_numpy(), PERCENT, atol=0.005)
    assert result.total_inertia == pytest.approx(TOTAL, abs=1e-5)
    assert list(result.rows.columns) == ["x", "y", "quality", "mass"]
    assert list(result.rows.index) == list(ROWS)
    assert list(result.columns.index) == list(COLUMNS)

    published_rows = np.array(list(ROWS.values()))
    published_columns = np.array(list(COLUMNS.values()))
    signs = _signs(result.columns[["x", "y"]].to_numpy(), published_columns)
    np.testing.assert_allclose(result.rows[["x", "y"]].to_numpy() * signs, published_rows,
                               atol=1e-5)
    np.testing.assert_allclose(result.columns[["x", "y"]].to_numpy() * signs, published_columns,
                               atol=1e-5)
    assert result.rows["mass"].to_numpy() == pytest.approx([11 / 193, 18 / 193, 51 / 193,
                                                            88 / 193, 25 / 193])
    assert result.columns.loc["none", "mass"] == pytest.approx(61 / 193)
    pd.testing.assert_frame_equal(result.table, smoke.astype(float))
    assert result.supplementary.empty
    assert list(result.supplementary.columns) == ["x", "y", "quality"]


def test_it_measures_quality_as_plain_svd_does(smoke):
    result = ca_map(smoke)
    plain = _plain_ca(smoke)

    np.testing.assert_allclose(result.rows["quality"].to_numpy(), plain["row_quality"],
                               atol=1e-10)
    np.testing.assert_allclose(result.columns["quality"].to_numpy(), plain["column_quality"],
                               atol=1e-10)
    # The "qlt" column of R's summary(ca(smoke)), per mille: SM is the worst shown row.
    assert (1000 * result.rows["quality"]).round().to_list() == [893, 991, 1000, 1000, 999]


def test_it_places_an_active_row_passed_as_supplementary_on_itself(smoke):
    result = ca_map(smoke, supplementary_rows=smoke.loc[["JE", "SM"]] * 3)

    pd.testing.assert_frame_equal(
        result.supplementary, result.rows.loc[["JE", "SM"], ["x", "y", "quality"]],
        check_exact=False, atol=1e-12,
    )


def test_it_projects_a_made_up_row_as_plain_svd_does(smoke):
    extra = pd.DataFrame({"heavy": [1], "none": [10], "light": [5], "medium": [5]},
                         index=["new staff"])
    result = ca_map(smoke, supplementary_rows=extra)
    plain = _plain_ca(smoke)

    profile = np.array([10, 5, 5, 1]) / 21
    xy = profile @ plain["gamma"][:, :2]
    distance = (((profile - plain["c"]) ** 2) / plain["c"]).sum()
    signs = _signs(result.columns[["x", "y"]].to_numpy(), plain["g"][:, :2])
    got = result.supplementary.loc["new staff"]
    np.testing.assert_allclose(got[["x", "y"]].to_numpy() * signs, xy, atol=1e-12)
    assert got["quality"] == pytest.approx((xy**2).sum() / distance, abs=1e-12)
    assert 0 < got["quality"] <= 1


def test_it_gives_the_same_map_for_the_same_table_in_any_order(smoke):
    result = ca_map(smoke)
    shuffled = ca_map(smoke.iloc[::-1, ::-1])

    pd.testing.assert_frame_equal(shuffled.rows.loc[smoke.index], result.rows)
    pd.testing.assert_frame_equal(shuffled.columns.loc[smoke.columns], result.columns)
    # The farthest column is on the positive side of each axis.
    for axis in ("x", "y"):
        assert result.columns[axis].iloc[result.columns[axis].abs().argmax()] > 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame([[1, 2], [3, 4], [5, 7]], index=list("abc"), columns=list("xy")),
         "at least 3 rows and 3 columns"),
        (pd.DataFrame([[1, 2, 3], [3, 4, 5]], index=list("ab"), columns=list("xyz")),
         "the table has 2 row(s) and 3 column(s)"),
        (pd.DataFrame([[1, 2, 3], [2, 4, 6], [4, 1, 1]], index=list("abc"), columns=list("xyz"))
         .assign(z=lambda f: f["z"].astype(object).where(f.index != "b", "n/a")),
         "Cell ('b', 'z') is not a number"),
        (pd.DataFrame([[1, 2, 3], [2, -4, 6], [4, 1, 1]], index=list("abc"), columns=list("xyz")),
         "Cell ('b', 'y') is negative"),
        (pd.DataFrame([[1, 2, 3], [2, 4, 6], [3, 6, 9]], index=list("abc"), columns=list("xyz")),
         "no association"),
        (pd.DataFrame([[1, 2, 3], [2, 4, 6], [1, 3, 4]], index=list("abc"), columns=list("xyz")),
         "single line"),
        ([[1, 2, 3], [4, 5, 6], [7, 8, 1]], "expected a DataFrame"),
    ],
)
def test_it_refuses_tables_it_cannot_map(table, message):
    with pytest.raises(AnalysisError) as error:
        ca_map(table)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (pd.DataFrame({"none": [1], "light": [1], "medium": [1]}, index=["g"]),
         "missing column(s) ['heavy']"),
        (pd.DataFrame({"none": [1], "light": [1], "medium": [1], "heavy": [1], "x": [2]},
                      index=["g"]),
         "column(s) ['x'] not in the table"),
        (pd.DataFrame({"none": [1], "light": [-1], "medium": [1], "heavy": [1]}, index=["g"]),
         "cell ('g', 'light') is negative"),
        (pd.DataFrame({"none": [1], "light": [np.nan], "medium": [1], "heavy": [1]},
                      index=["g"]),
         "cell ('g', 'light') is missing"),
        (pd.DataFrame({"none": [0], "light": [0], "medium": [0], "heavy": [0]}, index=["g"]),
         "row(s) ['g'] sum to zero"),
        (pd.DataFrame({"none": [1, 2], "light": [1, 2], "medium": [1, 2], "heavy": [1, 2]},
                      index=["g", "g"]),
         "duplicate row label(s) ['g']"),
    ],
)
def test_it_refuses_bad_supplementary_rows(smoke, extra, message):
    with pytest.raises(AnalysisError) as error:
        ca_map(smoke, supplementary_rows=extra)
    assert "supplementary_rows" in str(error.value)
    assert message in str(error.value)


# --- PCA biplot -----------------------------------------------------------------------------


def _plain_pca(means: pd.DataFrame) -> dict[str, np.ndarray]:
    x = means.to_numpy(dtype=float)
    centred = x - x.mean(axis=0)
    u, sv, vt = np.linalg.svd(centred, full_matrices=False)
    k = min(x.shape[0] - 1, x.shape[1])
    scores = u[:, :k] * sv[:k]
    v = vt.T[:, :k]
    return {
        "scores": scores, "v": v, "eigen": sv[:k] ** 2 / x.shape[0], "centred": centred,
        "row_quality": (scores[:, :2] ** 2).sum(axis=1) / (centred**2).sum(axis=1),
        "column_quality": (v[:, :2] ** 2 * sv[:2] ** 2).sum(axis=1) / (centred**2).sum(axis=0),
    }


def test_it_matches_a_plain_svd_pca():
    result = pca_biplot(MEANS)
    plain = _plain_pca(MEANS)

    assert result.method == "pca"
    np.testing.assert_allclose(result.inertias.to_numpy(), plain["eigen"], atol=1e-12)
    assert list(result.inertias.index) == ["dim1", "dim2", "dim3", "dim4"]
    # Eigenvalues divide by the number of rows: they add up to the columns' variances (ddof 0).
    assert result.total_inertia == pytest.approx(MEANS.var(ddof=0).sum())
    assert result.percent.sum() == pytest.approx(100)
    signs = _signs(result.columns[["x", "y"]].to_numpy(), plain["v"][:, :2])
    np.testing.assert_allclose(result.rows[["x", "y"]].to_numpy() * signs,
                               plain["scores"][:, :2], atol=1e-12)
    np.testing.assert_allclose(result.columns[["x", "y"]].to_numpy() * signs, plain["v"][:, :2],
                               atol=1e-12)
    np.testing.assert_allclose(result.rows["quality"], plain["row_quality"], atol=1e-12)
    np.testing.assert_allclose(result.columns["quality"], plain["column_quality"], atol=1e-12)
    assert result.rows["mass"].isna().all()
    assert result.columns["mass"].isna().all()


def test_it_matches_sklearn_pca():
    result = pca_biplot(MEANS)
    reference = PCA(n_components=2).fit(MEANS.to_numpy())
    scores = reference.transform(MEANS.to_numpy())

    np.testing.assert_allclose(result.percent.to_numpy()[:2] / 100,
                               reference.explained_variance_ratio_, atol=1e-12)
    signs = _signs(result.columns[["x", "y"]].to_numpy(), reference.components_.T)
    np.testing.assert_allclose(result.rows[["x", "y"]].to_numpy() * signs, scores, atol=1e-10)
    np.testing.assert_allclose(result.columns[["x", "y"]].to_numpy() * signs,
                               reference.components_.T, atol=1e-10)


def test_it_reads_a_rows_value_on_a_column_vector():
    # With 3 rows there are only 2 dimensions: the biplot reproduces the centred table exactly.
    three = MEANS.iloc[:3]
    result = pca_biplot(three)

    rebuilt = result.rows[["x", "y"]].to_numpy() @ result.columns[["x", "y"]].to_numpy().T
    np.testing.assert_allclose(rebuilt, three - three.mean(), atol=1e-12)
    assert result.rows["quality"].to_numpy() == pytest.approx([1, 1, 1])
    assert result.columns["quality"].to_numpy() == pytest.approx([1, 1, 1, 1])


def test_it_projects_supplementary_rows_with_the_active_means():
    extra = pd.DataFrame([[3.5, 3.5, 3.5, 3.5], MEANS.loc["saas"].to_list()],
                         index=["it seen by sales", "saas again"],
                         columns=["ease", "price", "security", "speed"])
    extra.loc["saas again"] = MEANS.loc["saas", extra.columns]
    result = pca_biplot(MEANS, supplementary_rows=extra)
    plain = _plain_pca(MEANS)

    signs = _signs(result.columns[["x", "y"]].to_numpy(), plain["v"][:, :2])
    flat = np.full(4, 3.5) - MEANS.mean().to_numpy()
    xy = flat @ plain["v"][:, :2]
    got = result.supplementary.loc["it seen by sales"]
    np.testing.assert_allclose(got[["x", "y"]].to_numpy() * signs, xy, atol=1e-12)
    assert got["quality"] == pytest.approx((xy**2).sum() / (flat**2).sum())
    pd.testing.assert_series_equal(
        result.supplementary.loc["saas again"],
        result.rows.loc["saas", ["x", "y", "quality"]], check_names=False,
    )


def test_it_gives_the_same_biplot_whatever_the_row_order():
    result = pca_biplot(MEANS)
    shuffled = pca_biplot(MEANS.iloc[::-1])

    pd.testing.assert_frame_equal(shuffled.rows.loc[MEANS.index], result.rows, atol=1e-12)
    for axis in ("x", "y"):
        assert result.columns[axis].iloc[result.columns[axis].abs().argmax()] > 0


@pytest.mark.parametrize(
    ("means", "message"),
    [
        (MEANS.iloc[:2], "at least 3 rows and 2 columns"),
        (MEANS.iloc[:, :1], "the table has 5 row(s) and 1 column(s)"),
        (MEANS.mask(MEANS == 2.4), "cell ('vendor', 'price') is missing"),
        (MEANS.astype(object).mask(MEANS == 2.4, "x"), "cell ('vendor', 'price') is not a number"),
        (pd.DataFrame([[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]], index=list("abc")), "no variance"),
        (pd.DataFrame([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], index=list("abc")), "single line"),
        (MEANS.rename(index={"saas": "it"}), "duplicate row label(s) ['it']"),
    ],
)
def test_it_refuses_means_it_cannot_map(means, message):
    with pytest.raises(AnalysisError) as error:
        pca_biplot(means)
    assert message in str(error.value)


def test_it_refuses_supplementary_rows_with_other_columns():
    with pytest.raises(AnalysisError, match=r"missing column\(s\) \['ease'\]"):
        pca_biplot(MEANS, supplementary_rows=MEANS.iloc[:1, :3])


# --- Ideal direction and reading rule -------------------------------------------------------


POINTS = pd.DataFrame({"x": [-1.0, 0.5, 2.0, 0.0, -0.3], "y": [0.4, -1.2, 0.3, 1.5, -0.6]},
                      index=list("abcde"))


def test_it_finds_the_direction_of_an_exactly_linear_preference():
    preference = (2 * POINTS["x"] + 0 * POINTS["y"]).iloc[::-1]  # any order of labels
    result = ideal_direction(POINTS, preference)

    assert (result.x, result.y) == pytest.approx((1, 0), abs=1e-12)
    assert result.coefficients == pytest.approx((2, 0), abs=1e-12)
    assert result.intercept == pytest.approx(0, abs=1e-12)
    assert result.r2 == pytest.approx(1)
    assert result.n == 5


def test_it_fits_by_weighted_least_squares():
    preference = pd.Series([0.1, 0.3, 0.35, 0.05, 0.2], index=list("abcde"))
    weights = pd.Series([1, 2, 1, 3, 0], index=list("abcde"))
    result = ideal_direction(POINTS, preference, weights=weights)

    used = list("abcd")
    w = weights[used].to_numpy(dtype=float)
    design = np.column_stack([np.ones(4), POINTS.loc[used].to_numpy()])
    beta = np.linalg.solve(design.T @ (design * w[:, None]), design.T @ (w * preference[used]))
    fitted = design @ beta
    y = preference[used].to_numpy()
    mean = np.average(y, weights=w)
    r2 = 1 - np.sum(w * (y - fitted) ** 2) / np.sum(w * (y - mean) ** 2)
    assert result.n == 4
    assert result.coefficients == pytest.approx(tuple(beta[1:]))
    assert result.intercept == pytest.approx(beta[0])
    assert result.r2 == pytest.approx(r2)
    assert np.hypot(result.x, result.y) == pytest.approx(1)
    assert (result.x, result.y) == pytest.approx(tuple(beta[1:] / np.hypot(*beta[1:])))


@pytest.mark.parametrize(
    ("points", "preference", "message"),
    [
        (POINTS.iloc[:3], pd.Series([1.0, 2.0, 3.0], index=list("abc")), "at least 4 points"),
        (POINTS, pd.Series(0.2, index=list("abcde")), "the same (0.2) for every point"),
        (POINTS, pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd")),
         "no value for point(s) ['e']"),
        (POINTS, pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=list("abcdef")),
         "label(s) ['f'] are not points"),
        (POINTS, pd.Series([1.0, np.nan, 3.0, 4.0, 5.0], index=list("abcde")),
         "cell ('b', 'preference') is missing"),
        (pd.DataFrame({"x": [0.0, 1, 2, 3], "y": [0.0, 2, 4, 6]}, index=list("abcd")),
         pd.Series([1.0, 2.0, 3.0, 5.0], index=list("abcd")), "one line"),
        (POINTS.rename(columns={"y": "dim2"}), pd.Series(1.0, index=list("abcde")),
         "missing column(s) ['y']"),
    ],
)
def test_it_refuses_what_points_nowhere(points, preference, message):
    with pytest.raises(AnalysisError) as error:
        ideal_direction(points, preference)
    assert message in str(error.value)


def test_it_refuses_negative_weights_and_counts_only_weighted_points():
    preference = 2 * POINTS["x"]
    negative = pd.Series([1, 1, -1, 1, 1], index=list("abcde"))
    with pytest.raises(AnalysisError, match=r"cell \('c', 'weights'\) is negative"):
        ideal_direction(POINTS, preference, weights=negative)
    zeros = pd.Series([1, 1, 0, 0, 1], index=list("abcde"))
    with pytest.raises(AnalysisError, match="at least 4 points with a positive weight; got 3"):
        ideal_direction(POINTS, preference, weights=zeros)


def test_it_states_the_reading_rule_of_each_method():
    assert "distance between an alternative and an attribute means nothing" in reading_rule("ca")
    assert "project an alternative onto an attribute's arrow" in reading_rule("pca")
    with pytest.raises(AnalysisError, match=r"method: must be one of \['ca', 'pca'\]"):
        reading_rule("mds")
