from __future__ import annotations

import datetime as dt

import pytest

from phare.insights import barometer as B
from tests.insights.conftest import add_wave, answer
from tests.listening.conftest import make_barometer


def test_wave_figures_give_nps_with_intervals_and_changes(two_waves):
    survey, *_ = two_waves
    waves, csat_code = B.wave_figures(survey, B.Filters())
    assert csat_code == "csat"
    assert [w.responses for w in waves] == [12, 10]
    first, second = waves
    assert first.nps.value == pytest.approx(25.0) and second.nps.value == pytest.approx(40.0)
    assert first.nps.low < 25 < first.nps.high
    assert second.nps_change.value == pytest.approx(15.0)
    assert not second.nps_change.significant  # 22 answers cannot show a 15-point change
    assert second.csat.n == 10 and second.csat.value == 100.0


def test_a_segment_of_four_shows_nothing(two_waves):
    survey, *_ = two_waves
    rows = {r["segment"]: r for r in B.segment_breakdown(survey, B.Filters(waves=(1,)), "unit")}
    assert rows["VEN"]["n"] == 8 and rows["VEN"]["nps"] is not None
    assert rows["DSI"]["n"] == 4 and rows["DSI"]["suppressed"] and rows["DSI"]["nps"] is None
    # Filtering down to that unit suppresses the wave itself.
    waves, _ = B.wave_figures(survey, B.Filters(units=("DSI",)))
    assert waves[0].responses == 4 and waves[0].suppressed and waves[0].nps is None


def test_significant_changes_are_marked(personas):
    survey = make_barometer("big")
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for i in range(60):
        answer(survey, first, nps=[2, 3, 8, 9][i % 4])
        answer(survey, second, nps=[9, 10, 10, 8][i % 4])
    waves, _ = B.wave_figures(survey, B.Filters())
    assert waves[1].nps_change.significant and waves[1].nps_change.p_value < 0.001


def test_importance_performance_and_drivers(personas):
    survey = make_barometer("ipa")
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    for i in range(40):
        sat = 1 + i % 5
        grid = {"reactivite": {"importance": 5, "satisfaction": sat},
                "competence": {"importance": 2, "satisfaction": 1 + (i * 3) % 5},
                "communication": {"importance": 4, "satisfaction": 5 - (i * 7) % 3}}
        answer(survey, wave, nps=min(10, 2 * sat), grid=grid)
    rows, n = B.attribute_figures(survey, B.Filters())
    assert n == 40
    by_code = {r["code"]: r for r in rows}
    assert by_code["reactivite"]["importance"] == 5
    assert by_code["competence"]["quadrant"] in ("low_priority", "possible_overkill")
    drivers = B.driver_figures(survey, B.Filters())
    assert drivers["shares"][0]["code"] == "reactivite"  # the score follows it exactly
    assert sum(s["percent"] for s in drivers["shares"]) == pytest.approx(100)


def test_themes_need_the_verbatim_threshold(two_waves):
    survey, *_ = two_waves
    # 22 comments, all the same text: below threshold per wave (10 + 12), fine overall.
    few = B.theme_figures(survey, B.Filters(units=("DSI",)))
    assert few["suppressed"] and few["themes"] == []


def test_the_whole_page_data(two_waves):
    survey, *_ = two_waves
    data = B.barometer(survey, B.Filters())
    assert data.latest.wave == 2
    assert set(data.breakdowns) == {"unit", "site", "job_family"}


def test_the_cube_gives_every_wave_by_segment_in_one_go(two_waves):
    survey, *_ = two_waves
    cube = B.segment_cube(survey, B.Filters(), "unit")
    assert {row["segment"]: row["n"] for row in cube[1]} == {"VEN": 8, "DSI": 4}
    assert [row["segment"] for row in cube[2]] == ["VEN"]
    assert cube[1][0]["suppressed"] and cube[1][0]["nps"] is None  # DSI, 4 answers
    assert cube[2][0]["nps"].value == pytest.approx(40.0)
