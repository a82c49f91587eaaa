from __future__ import annotations

import datetime as dt

import pytest

from phare.insights import barometer as B
from phare.insights import release
from phare.listening import services
from phare.listening.models import Response
from tests.insights.factories import add_wave, answer
from tests.listening.factories import full_answers, make_barometer


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


def test_a_segment_of_four_shows_nothing_and_hides_its_complement(two_waves):
    survey, *_ = two_waves
    # Wave 1: 8 answers in VEN, 4 in DSI (under DG). The top units are DG (4) and VEN (8):
    # showing VEN would give DG's 4 answers by subtraction from the headline.
    rows = {r["segment"]: r for r in B.segment_breakdown(survey, B.Filters(waves=(1,)), "unit")}
    assert set(rows) == {"DG", "VEN"}
    assert all(r["suppressed"] and r["n"] is None and r["nps"] is None for r in rows.values())
    # Filtering down to that unit suppresses the wave itself, and says nothing of its size.
    waves, _ = B.wave_figures(survey, B.Filters(units=("DSI",)))
    assert waves[0].responses is None and waves[0].suppressed and waves[0].nps is None
    # …and so does filtering on its complement: VEN in wave 1 is the total minus DG.
    waves, _ = B.wave_figures(survey, B.Filters(units=("VEN",)))
    assert waves[0].suppressed and waves[0].responses is None
    assert not waves[1].suppressed and waves[1].responses == 10  # wave 2: VEN is everyone


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


def test_the_unit_breakdown_goes_one_level_down_the_tree(two_waves):
    survey, first, _second = two_waves
    for _ in range(6):
        answer(survey, first, nps=9, unit="DG")
    # Top level: DG's subtree is DSI's 4 and DG's own 6.
    rows = {r["segment"]: r for r in B.segment_breakdown(survey, B.Filters(waves=(1,)), "unit")}
    assert rows["DG"]["n"] == 10 and rows["VEN"]["n"] == 8
    # Within DG: DSI (4) is hidden, and DG's own 6 are the residual, never shown as a cell;
    # hidden DSI and the residual hold 10, so nothing else needs hiding.
    inside = B.segment_breakdown(survey, B.Filters(waves=(1,), units=("DG", "DSI")), "unit")
    assert [(r["segment"], r["suppressed"], r["n"]) for r in inside] == [("DSI", True, None)]


def test_the_counts_of_one_scan_give_what_the_checks_queries_give(two_waves):
    """The page sums one scan (count_responses) instead of querying for each check: every
    disclosure count must be the one the checks' own queries give."""
    survey, first, second = two_waves
    for i in range(7):  # the top unit itself, a second site, another job family
        answer(survey, first, nps=9 - i, unit="DG", site="PAR" if i % 2 else "LYS",
               job="IT" if i < 3 else "COM")
    answer(survey, second, nps=2, unit="ZZZ", site="", job="IT")  # a unit outside the tree
    answer(survey, second, nps=8, unit="", site="PAR", job="")  # no unit, no job family
    loose = services.response_submit(survey=survey, answers=full_answers(6), channel="open_link")
    Response.objects.filter(pk=loose.pk).update(submitted_on=dt.date(2025, 3, 3))  # no wave
    counts = B.count_responses(survey)
    assert counts.tally.frame["wave"].isna().sum() == 1
    waved = ("wave IS NOT NULL", [])
    queried = release.cube([survey], "responses", B.SEGMENTS, base=waved, per="wave")
    assert {w: c.totals for w, c in counts.cubes.items()} == {
        w: c.totals for w, c in queried.items()}
    assert counts.cubes[1].n(("DG", "LYS", None)) == 4 + 4  # DSI's 4 and DG's own 4 at Lyon
    blocked = []
    for filters in (B.Filters(), B.Filters(units=("DG", "DSI")), B.Filters(units=("DSI",)),
                    B.Filters(units=("VEN",), sites=("LYS",)), B.Filters(sites=("LYS", "PAR")),
                    B.Filters(waves=(1,), job_families=("IT",)),
                    B.Filters(waves=(1, 2), units=("DG", "DSI"), sites=("PAR",))):
        selections = filters.selections()
        for per, scope in (("wave", counts.tally.known("wave")), (None, counts.tally)):
            base = waved if per else ("TRUE", [])
            assert release.allowed([survey], "responses", selections, 5, base=base,
                                   per=per) == release.allowed(
                [survey], "responses", selections, 5, base=base, per=per, tally=scope)
        waves = [release.Selection("wave", filters.waves)] if filters.waves else []
        for by in B.SEGMENTS:
            within = filters.units if by == "unit" else ()
            found = release.blocked_cells(
                [survey], "responses", selections, by, 5, within=within,
                base=B.Filters(waves=filters.waves).where())
            assert found == release.blocked_cells(
                [survey], "responses", selections, by, 5, within=within,
                tally=counts.tally.where(waves))
            blocked.append(found)
    assert any(blocked)  # the comparison covers blocked cells, not only empty sets
