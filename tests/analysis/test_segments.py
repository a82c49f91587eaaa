from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from phare.analysis.errors import AnalysisError
from phare.analysis.segments import segments


def _blobs(sizes=(60, 40, 20), seed: int = 1) -> pd.DataFrame:
    """Three well-separated groups of respondents on three questions of different scales."""
    rng = np.random.default_rng(seed)
    centres = [(9.0, 2.0, 100.0), (2.0, 8.0, 300.0), (5.0, 5.0, 600.0)]
    parts = [
        rng.normal(centre, (0.4, 0.4, 15.0), size=(size, 3))
        for centre, size in zip(centres, sizes, strict=True)
    ]
    frame = pd.DataFrame(np.vstack(parts), columns=["satisfaction", "effort", "minutes"])
    frame["truth"] = np.repeat([1, 2, 3], sizes)
    # Shuffle so that group order does not follow row order, and use a non-default index.
    frame = frame.sample(frac=1, random_state=seed)
    frame.index = [f"r{i}" for i in range(len(frame))]
    return frame


def test_it_finds_three_well_separated_segments():
    frame = _blobs()
    result = segments(frame.drop(columns="truth"))

    assert result.k == 3
    assert set(result.silhouettes) == set(range(2, 9))
    assert result.silhouette == max(result.silhouettes.values()) > 0.7
    assert result.labels.index.equals(frame.index)
    # Numbered by size, largest first, and each segment is exactly one true group.
    assert result.profile["size"].tolist() == [60, 40, 20]
    assert result.profile["share"].tolist() == pytest.approx([0.5, 1 / 3, 1 / 6])
    assert pd.crosstab(result.labels, frame["truth"]).to_numpy().tolist() == [
        [60, 0, 0],
        [0, 40, 0],
        [0, 0, 20],
    ]
    assert result.profile.loc[1, "satisfaction"] == pytest.approx(9, abs=0.2)
    assert result.profile.loc[3, "minutes"] == pytest.approx(600, abs=10)
    assert list(result.profile.columns) == ["size", "share", "satisfaction", "effort", "minutes"]
    # Centres are in standard deviations: segment 1 is the most satisfied.
    assert result.centers["satisfaction"].idxmax() == 1
    assert result.centers.loc[1, "satisfaction"] > 0.5
    assert result.centers.shape == (3, 3)


def test_it_is_deterministic_with_a_seed():
    frame = _blobs(sizes=(50, 50, 50), seed=3).drop(columns="truth")
    noisy = frame + np.random.default_rng(0).normal(0, 2, size=frame.shape)

    first = segments(noisy, k=4, seed=7)
    again = segments(noisy, k=4, seed=7)

    pd.testing.assert_series_equal(first.labels, again.labels)
    pd.testing.assert_frame_equal(first.profile, again.profile)
    assert first.silhouettes == {4: first.silhouette}
    assert first.profile["size"].is_monotonic_decreasing


def test_it_accepts_a_fixed_k_and_boolean_answers():
    frame = _blobs().drop(columns="truth")
    frame["uses_vpn"] = frame["satisfaction"] > 5

    result = segments(frame, k=2)

    assert result.k == 2
    assert result.labels.isin([1, 2]).all()
    assert result.profile["size"].sum() == len(frame)


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (pd.DataFrame(), {}, "empty"),
        (pd.DataFrame({"a": range(20), "b": ["x"] * 20}), {}, "Non-numeric column(s): ['b']"),
        (pd.DataFrame({"a": range(20), "b": [1.0] * 20}), {}, "Constant column(s) ['b']"),
        (
            pd.DataFrame({"a": [1.0, None, 3.0] * 6, "b": range(18)}),
            {},
            "6 missing value(s) in 6 row(s) (by column: 'a': 6; first rows: 1, 4, 7, 10, 13, …)",
        ),
        (pd.DataFrame({"a": [1.0, np.inf] * 10, "b": range(20)}), {}, "Infinite"),
        (pd.DataFrame({"a": range(15), "b": range(15)}), {}, "at least 16 rows"),
        (pd.DataFrame({"a": range(4), "b": range(4)}), {"k": 4}, "more than k rows"),
        (pd.DataFrame({"a": range(20), "b": range(20)}), {"k": 1}, "at least 2"),
        (pd.DataFrame({"a": range(20), "b": range(20)}), {"k_range": (3, 2)}, "k_range"),
        (pd.DataFrame({"a": [1, 2] * 10, "b": [0, 1] * 10}), {"k": 3}, "only 2 distinct"),
        (pd.DataFrame({"size": range(20), "b": range(20)}), {}, "rename"),
    ],
)
def test_it_rejects_frames_it_cannot_use(frame, kwargs, message):
    with pytest.raises(AnalysisError) as error:
        segments(frame, **kwargs)
    assert message in str(error.value)
