"""The map and the gaps computed on hand-built released answers (no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from phare.analysis.perceptual import ca_map
from phare.positioning.answers import StudyData
from phare.positioning.results.gaps import Benchmark, compute_gaps
from phare.positioning.results.maps import compute_map

ALTERNATIVES = ["it", "saas", "personal", "power"]
ATTRIBUTES = ["speed", "security", "ease", "cost"]
MEANS = {"it": {"speed": 2.0, "security": 4.6, "ease": 2.2, "cost": 3.0},
         "saas": {"speed": 4.4, "security": 2.6, "ease": 4.5, "cost": 3.0},
         "personal": {"speed": 4.0, "security": 1.8, "ease": 4.0, "cost": 4.0},
         "power": {"speed": 3.5, "security": 2.5, "ease": 3.4, "cost": 3.6}}


def make_data(n: int = 60, *, k: int = 5, seed: int = 0, units: list[str] | None = None,
              drop: dict[tuple[str, str], int] | None = None) -> StudyData:
    """``n`` respondents rating every alternative around MEANS; ``drop`` leaves out the
    ratings of (alternative, attribute) of all but that many respondents."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n):
        for a in ALTERNATIVES:
            for t in ATTRIBUTES:
                keep = (drop or {}).get((a, t))
                if keep is not None and r >= keep:
                    continue
                rows.append((r, a, t, float(np.clip(round(MEANS[a][t] + rng.normal(0, .7)),
                                                    1, 5))))
    index = pd.RangeIndex(n, name="respondent")
    preference = pd.Series([ALTERNATIVES[int(i)] for i in rng.integers(0, 4, n)], index=index,
                           dtype=object)
    units = units or ["A"] * n
    return StudyData(
        study=None, k=k, k_verbatim=10, n=n,  # type: ignore[arg-type]
        alternatives=ALTERNATIVES, alternative_labels={a: a.upper() for a in ALTERNATIVES},
        attributes=ATTRIBUTES, attribute_labels={t: t.title() for t in ATTRIBUTES},
        internal="it", scale=(1, 5),
        ratings=pd.DataFrame(rows, columns=["respondent", "alternative", "attribute",
                                            "rating"]),
        importance=pd.DataFrame(rng.integers(1, 6, (n, 4)).astype(float), index=index,
                                columns=ATTRIBUTES),
        preference=preference,
        used=pd.DataFrame(False, index=index, columns=ALTERNATIVES[1:]),
        tools=pd.Series([[] for _ in range(n)], index=index, dtype=object),
        used_why=pd.Series([""] * n, index=index, dtype=object),
        comment=pd.Series([""] * n, index=index, dtype=object),
        people=pd.DataFrame({"unit": units, "site": "", "job_family": "", "top_unit": units},
                            index=index, dtype=object))


def test_it_draws_the_map_of_the_mean_ratings_with_ca():
    data = make_data()
    result = compute_map(data, method="ca")
    assert not result.hidden
    expected = data.ratings.groupby(["alternative", "attribute"])["rating"].mean().unstack()
    expected = expected.reindex(index=ALTERNATIVES, columns=ATTRIBUTES)
    np.testing.assert_allclose(result.table.to_numpy(), expected.to_numpy())
    reference = ca_map(expected)
    np.testing.assert_allclose([[p.x, p.y, p.quality] for p in result.rows],
                               reference.rows[["x", "y", "quality"]].to_numpy())
    np.testing.assert_allclose([[p.x, p.y] for p in result.columns],
                               reference.columns[["x", "y"]].to_numpy())
    assert result.percent == list(reference.percent)
    assert result.total_inertia == reference.total_inertia
    assert [p.code for p in result.rows] == ALTERNATIVES
    assert result.rows[0].label == "IT"


def test_it_hides_the_map_below_k_and_when_a_cell_has_too_few_ratings():
    with translation.override("en"):
        small = compute_map(make_data(4), method="ca")
        assert small.hidden and "Too few answers" in small.reason and small.rows == []
        assert "4" not in small.reason
        thin = compute_map(make_data(60, drop={("power", "cost"): 4}), method="ca")
        assert thin.hidden and thin.reason == (
            "Too few ratings of POWER on Cost to draw the map.")
        assert compute_map(make_data(60, drop={("power", "cost"): 5}), method="ca").hidden is False


def test_it_places_groups_as_supplementary_points_without_moving_the_axes():
    units = ["A"] * 30 + ["B"] * 30
    data = make_data(60, units=units)
    plain = compute_map(data, method="ca")
    placed = compute_map(data, method="ca", groups=data.people["top_unit"],
                         supplementary_by="top_unit")
    assert [(p.x, p.y) for p in placed.rows] == [(p.x, p.y) for p in plain.rows]
    assert [p.code for p in placed.supplementary] == ["A", "B"]
    internal = data.ratings[(data.ratings.alternative == "it")
                            & (data.ratings.respondent < 30)]
    profile = internal.groupby("attribute")["rating"].mean().reindex(ATTRIBUTES)
    expected = ca_map(plain.table, supplementary_rows=pd.DataFrame([profile.to_numpy()],
                                                                   index=["A"],
                                                                   columns=ATTRIBUTES))
    # The same point, whatever order the ratings were summed in (a last-digit difference).
    assert placed.supplementary[0].x == pytest.approx(expected.supplementary.loc["A", "x"],
                                                      rel=1e-12)


def test_it_hides_a_small_group_and_the_group_that_would_give_it_away():
    # B has k−1 people: hidden; C alone (no unknown unit) would give B as total − A − C,
    # so complementary suppression hides the smallest shown group too.
    units = ["A"] * 30 + ["B"] * 4 + ["C"] * 26
    data = make_data(60, units=units)
    placed = compute_map(data, method="ca", groups=data.people["top_unit"],
                         supplementary_by="top_unit")
    assert [p.code for p in placed.supplementary] == ["A"]
    assert placed.supplementary_note
    # With 10 people of no known unit, the hidden mass (4 + 10) is enough: C is shown.
    units = ["A"] * 30 + ["B"] * 4 + ["C"] * 16 + [""] * 10
    data = make_data(60, units=units)
    placed = compute_map(data, method="ca", groups=data.people["top_unit"],
                         supplementary_by="top_unit")
    assert [p.code for p in placed.supplementary] == ["A", "C"]


def test_it_fits_the_ideal_direction_or_says_why_not():
    data = make_data()
    result = compute_map(data, method="pca")
    assert result.method == "pca" and result.ideal is not None
    assert abs(np.hypot(result.ideal.x, result.ideal.y) - 1) < 1e-9
    constant = make_data()
    object.__setattr__(constant, "preference",
                       pd.Series(["it", "saas", "personal", "power"] * 15, dtype=object))
    with translation.override("en"):
        without = compute_map(constant, method="ca")
    assert without.ideal is None and without.ideal_note.startswith("No ideal direction")


def test_it_gives_verdicts_and_hides_thin_attributes():
    data = make_data(80, drop={("saas", "cost"): 4, ("personal", "cost"): 4,
                               ("power", "cost"): 4})
    bench = Benchmark(label="Global happiness", value=80.0, unit="%", attribute="ease",
                      source="HappySignals", source_url="https://example.org",
                      as_of=pd.Timestamp("2024-01-01").date())
    result = compute_gaps(data, benchmarks=[bench])
    rows = {g.attribute: g for g in result.rows}
    assert rows["security"].verdict == "wins" and rows["security"].best == "saas"
    assert rows["speed"].verdict == "loses" and rows["speed"].best == "saas"
    assert rows["ease"].verdict == "loses" and rows["ease"].benchmarks == [bench]
    # On cost the best other alternative is rated by 4 people (< k): too few answers.
    assert rows["cost"].hidden and rows["cost"].difference is None
    assert rows["security"].internal_mean == data.ratings[
        (data.ratings.alternative == "it") & (data.ratings.attribute == "security")
    ]["rating"].mean()
    assert result.drivers is not None and result.drivers.method == "shapley"
    assert abs(sum(d.percent for d in result.drivers.rows) - 100) < 1e-6
    assert compute_gaps(make_data(4)).hidden
