"""Key-driver analysis: exact Shapley (LMG) and Johnson's relative weights."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

from phare.analysis.drivers import KeyDriversResult, key_drivers
from phare.analysis.errors import AnalysisError

# R's `datasets::swiss` (public domain; Mosteller & Tukey 1977), as distributed by Rdatasets
# (vincentarelbundock/Rdatasets, csv/datasets/swiss.csv). Grömping (2006) illustrates relaimpo
# with Fertility regressed on the five other columns.
SWISS_CSV = """\
province,Fertility,Agriculture,Examination,Education,Catholic,Infant.Mortality
Courtelary,80.2,17,15,12,9.96,22.2
Delemont,83.1,45.1,6,9,84.84,22.2
Franches-Mnt,92.5,39.7,5,5,93.4,20.2
Moutier,85.8,36.5,12,7,33.77,20.3
Neuveville,76.9,43.5,17,15,5.16,20.6
Porrentruy,76.1,35.3,9,7,90.57,26.6
Broye,83.8,70.2,16,7,92.85,23.6
Glane,92.4,67.8,14,8,97.16,24.9
Gruyere,82.4,53.3,12,7,97.67,21
Sarine,82.9,45.2,16,13,91.38,24.4
Veveyse,87.1,64.5,14,6,98.61,24.5
Aigle,64.1,62,21,12,8.52,16.5
Aubonne,66.9,67.5,14,7,2.27,19.1
Avenches,68.9,60.7,19,12,4.43,22.7
Cossonay,61.7,69.3,22,5,2.82,18.7
Echallens,68.3,72.6,18,2,24.2,21.2
Grandson,71.7,34,17,8,3.3,20
Lausanne,55.7,19.4,26,28,12.11,20.2
La Vallee,54.3,15.2,31,20,2.15,10.8
Lavaux,65.1,73,19,9,2.84,20
Morges,65.5,59.8,22,10,5.23,18
Moudon,65,55.1,14,3,4.52,22.4
Nyone,56.6,50.9,22,12,15.14,16.7
Orbe,57.4,54.1,20,6,4.2,15.3
Oron,72.5,71.2,12,1,2.4,21
Payerne,74.2,58.1,14,8,5.23,23.8
Paysd'enhaut,72,63.5,6,3,2.56,18
Rolle,60.5,60.8,16,10,7.72,16.3
Vevey,58.3,26.8,25,19,18.46,20.9
Yverdon,65.4,49.5,15,8,6.1,22.5
Conthey,75.5,85.9,3,2,99.71,15.1
Entremont,69.3,84.9,7,6,99.68,19.8
Herens,77.3,89.7,5,2,100,18.3
Martigwy,70.5,78.2,12,6,98.96,19.4
Monthey,79.4,64.9,7,3,98.22,20.2
St Maurice,65,75.9,9,9,99.06,17.8
Sierre,92.2,84.6,3,3,99.46,16.3
Sion,79.3,63.1,13,13,96.83,18.1
Boudry,70.4,38.4,26,12,5.62,20.3
La Chauxdfnd,65.7,7.7,29,11,13.79,20.5
Le Locle,72.7,16.7,22,13,11.22,18.9
Neuchatel,64.4,17.6,35,32,16.92,23
Val de Ruz,77.6,37.6,15,7,4.97,20
ValdeTravers,67.6,18.7,25,7,8.65,19.5
V. De Geneve,35,1.2,37,53,42.34,18
Rive Droite,44.7,46.6,16,29,50.43,18.2
Rive Gauche,42.8,27.7,22,29,58.33,19.3
"""
SWISS_DRIVERS = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]

# R's `datasets::mtcars` (public domain; Henderson & Velleman 1981), the columns used by the
# rwa package's documented example.
MTCARS_CSV = """\
car,mpg,cyl,disp,hp,wt
Mazda RX4,21,6,160,110,2.62
Mazda RX4 Wag,21,6,160,110,2.875
Datsun 710,22.8,4,108,93,2.32
Hornet 4 Drive,21.4,6,258,110,3.215
Hornet Sportabout,18.7,8,360,175,3.44
Valiant,18.1,6,225,105,3.46
Duster 360,14.3,8,360,245,3.57
Merc 240D,24.4,4,146.7,62,3.19
Merc 230,22.8,4,140.8,95,3.15
Merc 280,19.2,6,167.6,123,3.44
Merc 280C,17.8,6,167.6,123,3.44
Merc 450SE,16.4,8,275.8,180,4.07
Merc 450SL,17.3,8,275.8,180,3.73
Merc 450SLC,15.2,8,275.8,180,3.78
Cadillac Fleetwood,10.4,8,472,205,5.25
Lincoln Continental,10.4,8,460,215,5.424
Chrysler Imperial,14.7,8,440,230,5.345
Fiat 128,32.4,4,78.7,66,2.2
Honda Civic,30.4,4,75.7,52,1.615
Toyota Corolla,33.9,4,71.1,65,1.835
Toyota Corona,21.5,4,120.1,97,2.465
Dodge Challenger,15.5,8,318,150,3.52
AMC Javelin,15.2,8,304,150,3.435
Camaro Z28,13.3,8,350,245,3.84
Pontiac Firebird,19.2,8,400,175,3.845
Fiat X1-9,27.3,4,79,66,1.935
Porsche 914-2,26,4,120.3,91,2.14
Lotus Europa,30.4,4,95.1,113,1.513
Ford Pantera L,15.8,8,351,264,3.17
Ferrari Dino,19.7,6,145,175,2.77
Maserati Bora,15,8,301,335,3.57
Volvo 142E,21.4,4,121,109,2.78
"""


def swiss() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(SWISS_CSV), index_col="province")


def mtcars() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(MTCARS_CSV), index_col="car")


def orthogonal_frame() -> pd.DataFrame:
    """Three exactly uncorrelated drivers (a 2^3 factorial design) and an outcome."""
    design = np.array(list(itertools.product([-1.0, 1.0], repeat=3)))
    outcome = np.array([3.0, 1.5, 4.0, 2.0, 6.5, 5.0, 7.5, 9.0])
    return pd.DataFrame({"a": design[:, 0], "b": design[:, 1], "c": design[:, 2], "y": outcome})


def brute_force_lmg(frame: pd.DataFrame, outcome: str, drivers: list[str]) -> dict[str, float]:
    """LMG by its definition: refit by least squares along every ordering and average."""
    y = frame[outcome].to_numpy(dtype=float)
    total = ((y - y.mean()) ** 2).sum()

    def r2(columns: tuple[str, ...]) -> float:
        design = np.column_stack([np.ones(len(y)), *(frame[c].to_numpy(float) for c in columns)])
        residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
        return 1 - (residual @ residual) / total

    sums = dict.fromkeys(drivers, 0.0)
    orderings = list(itertools.permutations(drivers))
    for ordering in orderings:
        for position, name in enumerate(ordering):
            sums[name] += r2(ordering[: position + 1]) - r2(ordering[:position])
    return {name: value / len(orderings) for name, value in sums.items()}


# --- published references --------------------------------------------------------------------


def test_it_reproduces_the_published_r2_of_the_swiss_model() -> None:
    # summary(lm(Fertility ~ ., data = swiss)) in R prints "Multiple R-squared: 0.7067,
    # Adjusted R-squared: 0.671" (also in Grömping 2006, section 3).
    result = key_drivers(swiss(), outcome="Fertility", drivers=SWISS_DRIVERS)

    assert result.r2 == pytest.approx(0.7067, abs=5e-5)
    assert 1 - (1 - result.r2) * (47 - 1) / (47 - 5 - 1) == pytest.approx(0.671, abs=5e-4)
    assert result.n == 47
    assert result.dropped == 0


def test_it_reproduces_the_published_sequential_sums_of_squares_of_swiss() -> None:
    # anova(lm(Fertility ~ ., data = swiss)) in R: sequential sums of squares in the order of the
    # formula. Each prefix's R² is the cumulated sum over the total.
    sequential = [894.84, 2210.38, 891.81, 667.13, 408.75]
    total = sum(sequential) + 2105.04  # + residual sum of squares

    for size in range(1, 6):
        result = key_drivers(swiss(), outcome="Fertility", drivers=SWISS_DRIVERS[:size])
        assert result.r2 == pytest.approx(sum(sequential[:size]) / total, abs=2e-5)


def test_it_matches_lmg_computed_over_every_ordering_of_the_swiss_drivers() -> None:
    # The lmg table of Grömping (2006) could not be retrieved to quote here, so the reference is
    # LMG's definition itself: 5! = 120 orderings, each prefix refitted by least squares on the
    # raw data (no correlation matrix, no subset weights).
    frame = swiss()
    expected = brute_force_lmg(frame, "Fertility", SWISS_DRIVERS)

    result = key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS, method="shapley")

    for name in SWISS_DRIVERS:
        assert result.shares[name] == pytest.approx(expected[name], abs=1e-12)
    # The same values to four decimals, for the record.
    assert result.shares.round(4).to_dict() == {
        "Agriculture": 0.0571,
        "Examination": 0.1712,
        "Education": 0.2601,
        "Catholic": 0.1056,
        "Infant.Mortality": 0.1128,
    }


def test_it_reproduces_the_published_relative_weights_of_mtcars() -> None:
    # rwa package, article "Regression methods" (martinctc.github.io/rwa/articles/
    # regression-methods.html): rwa_multiregress(mtcars, "mpg", c("cyl", "disp", "hp", "wt")).
    result = key_drivers(
        mtcars(), outcome="mpg", drivers=["cyl", "disp", "hp", "wt"], method="relative_weights"
    )

    raw = {"cyl": 0.2096904, "disp": 0.1883043, "hp": 0.1799590, "wt": 0.2706812}
    rescaled = {"cyl": 24.70914, "disp": 22.18908, "hp": 21.20570, "wt": 31.89607}
    for name in raw:
        assert result.shares[name] == pytest.approx(raw[name], abs=5e-8)
        assert result.percent[name] == pytest.approx(rescaled[name], abs=5e-6)
    assert result.r2 == pytest.approx(sum(raw.values()), abs=2e-7)
    assert result.method == "relative_weights"


def test_it_gives_squared_correlations_with_both_methods_when_drivers_are_uncorrelated() -> None:
    frame = orthogonal_frame()
    squared_correlations = {
        name: np.corrcoef(frame[name], frame["y"])[0, 1] ** 2 for name in ("a", "b", "c")
    }

    shapley = key_drivers(frame, outcome="y", drivers=["a", "b", "c"], method="shapley")
    weights = key_drivers(frame, outcome="y", drivers=["a", "b", "c"], method="relative_weights")

    for name, expected in squared_correlations.items():
        assert shapley.shares[name] == pytest.approx(expected, abs=1e-12)
        assert weights.shares[name] == pytest.approx(expected, abs=1e-12)


# --- properties ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["shapley", "relative_weights"])
def test_it_splits_all_of_r2_and_all_of_the_percent(method: str) -> None:
    result = key_drivers(swiss(), outcome="Fertility", drivers=SWISS_DRIVERS, method=method)

    assert result.shares.sum() == pytest.approx(result.r2, abs=1e-12)
    assert result.percent.sum() == pytest.approx(100.0, abs=1e-9)
    assert (result.shares >= 0).all()
    assert list(result.shares.index) == SWISS_DRIVERS


@pytest.mark.parametrize("method", ["shapley", "relative_weights"])
def test_it_does_not_depend_on_the_units_of_a_driver_or_the_outcome(method: str) -> None:
    frame = swiss()
    rescaled = frame.assign(
        Agriculture=frame["Agriculture"] * 1000 + 7,
        Catholic=frame["Catholic"] * -2.5,
        Fertility=frame["Fertility"] / 100,
    )

    before = key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS, method=method)
    after = key_drivers(rescaled, outcome="Fertility", drivers=SWISS_DRIVERS, method=method)

    pd.testing.assert_series_equal(before.shares, after.shares, rtol=1e-10)
    assert after.r2 == pytest.approx(before.r2, abs=1e-12)


@pytest.mark.parametrize("method", ["shapley", "relative_weights"])
def test_it_does_not_depend_on_the_order_of_the_drivers(method: str) -> None:
    reordered = ["Infant.Mortality", "Education", "Agriculture", "Catholic", "Examination"]

    before = key_drivers(swiss(), outcome="Fertility", drivers=SWISS_DRIVERS, method=method)
    after = key_drivers(swiss(), outcome="Fertility", drivers=reordered, method=method)

    assert list(after.shares.index) == reordered
    pd.testing.assert_series_equal(before.shares, after.shares[SWISS_DRIVERS], rtol=1e-10)


def test_it_gives_a_single_driver_all_of_r2() -> None:
    frame = swiss()
    result = key_drivers(frame, outcome="Fertility", drivers=["Education"])

    expected = np.corrcoef(frame["Education"], frame["Fertility"])[0, 1] ** 2
    assert result.shares["Education"] == pytest.approx(expected, abs=1e-12)
    assert result.percent["Education"] == pytest.approx(100.0)


def test_it_drops_rows_with_a_missing_value_and_counts_them() -> None:
    frame = swiss()
    frame.iloc[0, frame.columns.get_loc("Fertility")] = np.nan
    frame.iloc[3, frame.columns.get_loc("Education")] = np.nan
    frame.iloc[5, frame.columns.get_loc("Education")] = np.nan
    frame.iloc[5, frame.columns.get_loc("Catholic")] = np.nan

    result = key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS)
    complete = key_drivers(frame.dropna(), outcome="Fertility", drivers=SWISS_DRIVERS)

    assert (result.n, result.dropped) == (44, 3)
    pd.testing.assert_series_equal(result.shares, complete.shares)


def test_it_accepts_nullable_integer_ratings() -> None:
    base = orthogonal_frame()
    frame = pd.DataFrame(
        {
            "a": pd.array([*base["a"].astype(int), None], dtype="Int64"),
            "b": pd.array([*base["b"].astype(int), 1], dtype="Int64"),
            "c": [*base["c"], 1.0],
            "y": [*base["y"], 2.0],
        }
    )

    result = key_drivers(frame, outcome="y", drivers=["a", "b", "c"])

    assert (result.n, result.dropped) == (8, 1)


def test_it_lists_drivers_largest_share_first_in_the_frame() -> None:
    result = key_drivers(swiss(), outcome="Fertility", drivers=SWISS_DRIVERS)

    table = result.as_frame()

    assert list(table.columns) == ["driver", "share", "percent", "rank"]
    assert list(table["driver"]) == [
        "Education",
        "Examination",
        "Infant.Mortality",
        "Catholic",
        "Agriculture",
    ]
    assert list(table["rank"]) == [1, 2, 3, 4, 5]
    assert isinstance(result, KeyDriversResult)


def test_it_handles_fifteen_drivers_and_five_thousand_rows() -> None:
    # The subset-based computation fits 2^15 sub-models from the correlation matrix; walking
    # the 15! orderings instead would never finish.
    rng = np.random.default_rng(20240501)
    values = rng.normal(size=(5000, 15))
    values[:, 1] += values[:, 0]  # correlated drivers, as ratings are
    names = [f"driver_{i}" for i in range(15)]
    frame = pd.DataFrame(values, columns=names)
    frame["satisfaction"] = values @ rng.normal(size=15) + rng.normal(size=5000)

    shapley = key_drivers(frame, outcome="satisfaction", drivers=names)
    weights = key_drivers(frame, outcome="satisfaction", drivers=names, method="relative_weights")

    assert shapley.shares.sum() == pytest.approx(shapley.r2, abs=1e-10)
    assert weights.r2 == pytest.approx(shapley.r2, abs=1e-12)
    # The two methods are known to agree closely (Johnson 2000).
    assert (weights.shares - shapley.shares).abs().max() < 0.01


def test_it_gives_relative_weights_for_more_than_fifteen_drivers() -> None:
    rng = np.random.default_rng(7)
    values = rng.normal(size=(300, 30))
    names = [f"d{i}" for i in range(30)]
    frame = pd.DataFrame(values, columns=names).assign(y=values.sum(axis=1) + rng.normal(size=300))

    result = key_drivers(frame, outcome="y", drivers=names, method="relative_weights")

    assert result.shares.sum() == pytest.approx(result.r2, abs=1e-12)


# --- input it cannot use ---------------------------------------------------------------------


def test_it_rejects_more_than_fifteen_drivers_for_shapley_and_suggests_relative_weights() -> None:
    names = [f"d{i}" for i in range(16)]
    frame = pd.DataFrame(np.random.default_rng(1).normal(size=(50, 17)), columns=[*names, "y"])

    with pytest.raises(AnalysisError, match=r"at most 15 drivers.*got 16.*relative_weights"):
        key_drivers(frame, outcome="y", drivers=names)


def test_it_rejects_an_empty_frame() -> None:
    frame = swiss().iloc[0:0]

    with pytest.raises(AnalysisError, match="empty"):
        key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS)


def test_it_names_unknown_columns() -> None:
    with pytest.raises(AnalysisError, match=r"unknown column\(s\): 'Wealth', 'Income'"):
        key_drivers(swiss(), outcome="Fertility", drivers=["Education", "Wealth", "Income"])


def test_it_names_an_unknown_outcome() -> None:
    with pytest.raises(AnalysisError, match="unknown column.*'Births'"):
        key_drivers(swiss(), outcome="Births", drivers=["Education"])


def test_it_names_non_numeric_columns() -> None:
    frame = swiss().assign(Canton=lambda f: ["Vaud"] * len(f), When=pd.Timestamp("1888-01-01"))

    with pytest.raises(AnalysisError, match=r"non-numeric column\(s\): 'Canton', 'When'"):
        key_drivers(frame, outcome="Fertility", drivers=["Education", "Canton", "When"])


def test_it_names_a_constant_column() -> None:
    frame = swiss().assign(Language=5.0)

    with pytest.raises(AnalysisError, match=r"constant column\(s\).*'Language'"):
        key_drivers(frame, outcome="Fertility", drivers=["Education", "Language"])


def test_it_names_a_constant_outcome() -> None:
    frame = swiss().assign(Fertility=70.0)

    with pytest.raises(AnalysisError, match=r"constant column\(s\).*'Fertility'"):
        key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS)


def test_it_rejects_fewer_observations_than_drivers_plus_two() -> None:
    frame = swiss().iloc[:6]

    with pytest.raises(AnalysisError, match=r"at least 7 complete rows for 5 driver.*got 6"):
        key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS)


def test_it_counts_rows_lost_to_missing_values_when_too_few_remain() -> None:
    frame = swiss().iloc[:8]
    frame.iloc[:4, frame.columns.get_loc("Catholic")] = np.nan

    with pytest.raises(AnalysisError, match=r"got 4 after dropping 4 row"):
        key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS)


def test_it_says_which_drivers_are_perfectly_collinear() -> None:
    frame = swiss().assign(
        Schooling=lambda f: f["Education"] + 2 * f["Examination"],
        Catholics_pct=lambda f: f["Catholic"] / 100,
    )
    drivers = ["Education", "Examination", "Schooling", "Catholic", "Catholics_pct"]

    with pytest.raises(AnalysisError) as raised:
        key_drivers(frame, outcome="Fertility", drivers=drivers)

    message = str(raised.value)
    assert "perfectly collinear" in message
    assert "'Schooling' is an exact linear function of 'Education', 'Examination'" in message
    assert "'Catholics_pct' is an exact linear function of 'Catholic'" in message


def test_it_rejects_infinite_values() -> None:
    frame = swiss()
    frame.iloc[2, frame.columns.get_loc("Catholic")] = np.inf

    with pytest.raises(AnalysisError, match=r"infinite value\(s\).*'Catholic'"):
        key_drivers(frame, outcome="Fertility", drivers=SWISS_DRIVERS)


def test_it_rejects_an_outcome_the_drivers_do_not_explain_at_all() -> None:
    frame = pd.DataFrame({"x": [1.0, -1.0, 1.0, -1.0], "y": [1.0, 1.0, -1.0, -1.0]})

    with pytest.raises(AnalysisError, match=r"explain none of the variance of 'y'"):
        key_drivers(frame, outcome="y", drivers=["x"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"drivers": SWISS_DRIVERS, "method": "dominance"}, "unknown method 'dominance'"),
        ({"drivers": "Education"}, "list of column names, not the string 'Education'"),
        ({"drivers": []}, "at least one driver"),
        ({"drivers": ["Education", "Fertility"]}, "'Fertility' is also listed as a driver"),
        ({"drivers": ["Education", "Catholic", "Education"]}, "more than once: 'Education'"),
    ],
)
def test_it_rejects_bad_arguments(arguments: dict, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        key_drivers(swiss(), outcome="Fertility", **arguments)


def test_it_rejects_something_that_is_not_a_frame() -> None:
    with pytest.raises(AnalysisError, match="DataFrame, got dict"):
        key_drivers({"y": [1, 2]}, outcome="y", drivers=["x"])  # type: ignore[arg-type]
