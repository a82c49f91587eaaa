from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from phare.analysis.correspondence import correspondence
from phare.analysis.errors import AnalysisError

SMOKE = Path(__file__).parents[2].parent / "shared/reference/statistics/smoke.csv"

# Greenacre's smoking table, published results (R package ``ca``).
INERTIAS = [0.074759, 0.010017, 0.000414]
PERCENT = [87.76, 11.76, 0.49]
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


@pytest.fixture
def smoke() -> pd.DataFrame:
    if not SMOKE.exists():
        pytest.skip(f"reference folder absent: {SMOKE} (CI always has ../shared/reference)")
    return pd.read_csv(SMOKE, index_col="staff_group")


def _aligned(published: dict[str, tuple[float, float]], found: pd.DataFrame, signs) -> None:
    for label, expected in published.items():
        got = found.loc[label, ["dim1", "dim2"]].to_numpy() * signs
        np.testing.assert_allclose(got, expected, atol=1e-6, err_msg=label)


def test_it_reproduces_greenacres_smoke_table(smoke):
    result = correspondence(smoke)

    assert result.dimensions == 3
    np.testing.assert_allclose(result.inertias.to_numpy(), INERTIAS, atol=5e-7)
    np.testing.assert_allclose(result.percent.to_numpy(), PERCENT, atol=0.005)
    assert result.percent.sum() == pytest.approx(100)
    assert result.total_inertia == pytest.approx(0.085190, abs=5e-7)
    assert result.chi2 == pytest.approx(16.44, abs=0.005)
    assert result.dof == 12
    assert result.n == 193
    assert 0 < result.p_value < 1
    assert result.row_masses.sum() == pytest.approx(1)
    assert result.column_masses["none"] == pytest.approx(61 / 193)

    # The sign of an axis is arbitrary: align on the published "none" column, then compare all.
    found = result.column_coordinates.loc["none", ["dim1", "dim2"]].to_numpy()
    signs = np.sign(COLUMNS["none"]) * np.sign(found)
    _aligned(ROWS, result.row_coordinates, signs)
    _aligned(COLUMNS, result.column_coordinates, signs)
    assert list(result.row_coordinates.columns) == ["dim1", "dim2", "dim3"]
    assert list(result.column_coordinates.index) == ["none", "light", "medium", "heavy"]


def test_it_fixes_signs_by_the_farthest_column(smoke):
    result = correspondence(smoke)

    columns = result.column_coordinates
    for dim in columns:
        assert columns[dim].iloc[columns[dim].abs().argmax()] > 0
    # Same map whatever the order of rows and columns.
    shuffled = correspondence(smoke.iloc[::-1, ::-1])
    pd.testing.assert_frame_equal(shuffled.row_coordinates.loc[smoke.index], result.row_coordinates)


def test_it_accepts_a_plain_array():
    result = correspondence(np.array([[10, 2], [3, 9], [5, 5]]))

    assert result.dimensions == 1
    assert list(result.row_coordinates.index) == [0, 1, 2]
    assert result.percent.tolist() == pytest.approx([100])
    # With a single dimension, the principal inertia is the whole inertia: phi² = χ² / n.
    assert result.inertias["dim1"] == pytest.approx(result.chi2 / result.n)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame(), "empty"),
        (pd.DataFrame({"a": [1, 2]}), "at least 2 rows and 2 columns"),
        (pd.DataFrame({"a": [1], "b": [2]}), "at least 2 rows and 2 columns"),
        (np.array([1, 2, 3]), "two-dimensional"),
        (pd.DataFrame({"a": [1, -2], "b": [3, 4]}, index=["x", "y"]), "('y', 'a') is negative"),
        (pd.DataFrame({"a": [1, "2"], "b": [3, 4]}, index=["x", "y"]), "('y', 'a') is not a"),
        (pd.DataFrame({"a": [1, True], "b": [3, 4]}), "not a number"),
        (pd.DataFrame({"a": [1, None], "b": [3, 4]}), "missing"),
        (pd.DataFrame({"a": [1, np.inf], "b": [3, 4]}), "infinite"),
        (pd.DataFrame({"a": [0, 0], "b": [3, 4], "c": [1, 1]}), "Column(s) ['a'] sum to zero"),
        (pd.DataFrame({"a": [1, 0], "b": [3, 0]}, index=["x", "y"]), "Row(s) ['y'] sum to zero"),
        (pd.DataFrame({"a": [1, 2], "b": [2, 4]}), "no association"),
        (pd.DataFrame([[1, 2], [3, 4]], columns=["a", "a"]), "Duplicate column"),
    ],
)
def test_it_rejects_tables_it_cannot_use(table, message):
    with pytest.raises(AnalysisError, match=re.escape(message)):
        correspondence(table)
