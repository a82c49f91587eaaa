"""The usage metrics on a small hand-made store with known answers, on DuckDB and on Spark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from phare.usage import engine, store
from tests.usage.factories import (
    FEB,
    JAN,
    MAR,
    METRICS,
    NOBODY,
    U1,
    U2,
    A,
    B,
    C,
    D,
    E,
    day,
    events,
    fill,
    forget_person_months,
    rows,
)


@pytest.fixture
def usage_dir(settings, tmp_path) -> Path:
    settings.PHARE_USAGE_DIR = str(tmp_path / "usage")
    fill(tmp_path / "usage")
    return tmp_path / "usage"


@pytest.fixture
def duck(usage_dir) -> engine.Engine:
    return engine.connect("duckdb")


# Known answers (DuckDB) ----------------------------------------------------------------------


def test_it_counts_active_people_and_days_per_service_unit_and_month(duck):
    frame = duck.monthly()
    assert list(frame.columns) == list(engine.MONTHLY)
    assert str(frame["active_users"].dtype) == "int64"
    assert rows(frame) == [
        (1, JAN, *U1, 2, 3), (1, JAN, *U2, 1, 1), (1, JAN, *NOBODY, 1, 1),
        (1, FEB, *U1, 1, 1), (1, FEB, *U2, 1, 2), (1, FEB, *NOBODY, 1, 1),
        (1, MAR, *NOBODY, 2, 2),
        (2, JAN, *U1, 1, 1), (2, FEB, *U1, 1, 1),
    ]
    assert rows(duck.monthly(services=[2], months=[day(2, 14)])) == [(2, FEB, *U1, 1, 1)]


def test_it_reads_only_the_partitions_of_the_months_asked(duck, usage_dir, monkeypatch):
    asked = []
    files = store.activity_files

    def spy(months=None):
        answer = files(months)
        asked.append(answer)
        return answer

    monkeypatch.setattr(store, "activity_files", spy)
    duck.monthly(months=[MAR])
    duck.daily(months=[MAR])
    assert [[Path(name).parent.name for name in answer.person_months] for answer in asked] == [
        ["month=2026-03"], ["month=2026-03"]]
    assert [answer.events + answer.aggregates for answer in asked] == [[], []]


def test_it_counts_the_same_from_raw_events_as_from_the_stores_person_months(duck, usage_dir):
    answers = {name: METRICS[name](duck) for name in ("monthly", "monthly of some", "daily")}
    forget_person_months(usage_dir)  # a store written before person-months existed
    layout = store.activity_files()
    assert layout.person_months == [] and len(layout.events) == 5
    for name, expected in answers.items():
        pd.testing.assert_frame_equal(METRICS[name](duck), expected, obj=name)
    # Half of it: February's person-months written again by a merge, the others raw.
    store.merge("events", events([(A, 1, day(2, 2), "active")]))  # unchanged
    layout = store.activity_files()
    assert [Path(name).parent.name for name in layout.person_months] == ["month=2026-02"]
    assert [Path(name).parent.name for name in layout.events] == [
        "month=2026-01", "month=2026-03", "month=2026-01"]
    for name, expected in answers.items():
        pd.testing.assert_frame_equal(METRICS[name](duck), expected, obj=name)
    assert store.summarise() == 2 and store.summarise() == 0
    assert store.activity_files().events == []
    for name, expected in answers.items():
        pd.testing.assert_frame_equal(METRICS[name](duck), expected, obj=name)


def test_it_averages_weekly_users_over_the_weeks_starting_in_the_month(duck):
    # Service 1 in February: the weeks of 2 Feb (A, C), 9 Feb (C), 16 Feb (E) and 23 Feb
    # (E on Sunday 1 March: the week is counted whole in the month of its Monday).
    assert rows(duck.weekly()) == [(1, JAN, 1.0), (1, FEB, 1.25), (1, MAR, 1.0),
                                   (2, JAN, 1.0), (2, FEB, 1.0)]
    assert rows(duck.weekly(services=[2])) == [(2, JAN, 1.0), (2, FEB, 1.0)]


def test_it_averages_daily_users_over_the_month_or_up_to_the_last_day(duck):
    frame = duck.daily()
    assert list(frame.columns) == list(engine.DAILY)
    expected = [(1, JAN, 5 / 31), (1, FEB, 4 / 28), (1, MAR, 2 / 3),
                (2, JAN, 1 / 31), (2, FEB, 1 / 28)]
    assert [row[:2] for row in rows(frame)] == [row[:2] for row in expected]
    assert frame["dau_mean"].tolist() == pytest.approx([row[2] for row in expected])


def test_it_finds_the_week_of_each_first_use_since_a_date(duck):
    frame = duck.first_use(1, dt.date(2026, 1, 6))
    assert list(frame.columns) == list(engine.FIRST_USE)
    assert rows(frame) == [
        (day(1, 5), *U1, 1),        # A on Tuesday 6 (the 5th is before `since`)
        (day(1, 12), *U1, 1),       # B
        (day(1, 19), *NOBODY, 1),   # D on the 20th
        (day(1, 26), *U2, 1),       # C on Saturday 31
        (day(2, 16), *NOBODY, 1),   # E on the 20th of February
    ]
    assert rows(duck.first_use(1, dt.date(2026, 2, 1))) == [
        (day(2, 2), *U1, 1), (day(2, 2), *U2, 1), (day(2, 16), *NOBODY, 1),
        (day(3, 2), *NOBODY, 1)]


def test_it_counts_retention_cohorts(duck):
    frame = duck.cohorts(1)
    assert list(frame.columns) == list(engine.COHORTS)
    assert rows(frame) == [(JAN, 0, 4), (JAN, 1, 2), (JAN, 2, 1), (FEB, 0, 1), (FEB, 1, 1)]
    assert rows(duck.cohorts(99)) == []


def test_it_counts_each_persons_latest_report_scaled_to_thirty_days(duck):
    frame = duck.depth()
    assert list(frame.columns) == list(engine.DEPTH)
    # A's latest January report: 14 in 7 days (60 in 30, duration unknown); B's: 30 in 30.
    assert rows(frame.fillna(-1.0)) == [(1, JAN, "teams.meetings", 2, 90.0, 3000.0),
                                        (2, FEB, "email.sent", 1, 10.0, -1.0)]
    assert rows(duck.depth(services=[2], months=[JAN])) == []


def test_depth_reads_raw_and_folded_months_from_one_reading_of_the_manifest(
        duck, monkeypatch):
    # Two readings could straddle a purge (a month in both, or in neither).
    before = rows(duck.depth().fillna(-1.0))
    store.purge(before=FEB)  # January folded into aggregates, February raw
    readings = []
    real = store._read_manifest
    monkeypatch.setattr(store, "_read_manifest",
                        lambda place: readings.append(place) or real(place))
    assert rows(duck.depth().fillna(-1.0)) == before
    assert len(readings) == 1


def test_it_gives_each_persons_last_active_day(duck):
    frame = duck.last_active(1)
    assert list(frame.columns) == list(engine.LAST_ACTIVE)
    assert rows(frame) == [(A, day(2, 2)), (B, day(1, 12)), (C, day(2, 10)), (D, day(3, 3)),
                           (E, day(3, 1))]


def test_it_gives_each_persons_last_active_day_before_a_day(duck):
    # Strictly before 3 February: C's 3rd and E's 20th are left out, E entirely.
    assert rows(duck.last_active(1, before=day(2, 3))) == [
        (A, day(2, 2)), (B, day(1, 12)), (C, day(1, 31)), (D, day(1, 20))]
    assert rows(duck.last_active(1, before=FEB)) == [
        (A, day(1, 6)), (B, day(1, 12)), (C, day(1, 31)), (D, day(1, 20))]
    assert rows(duck.last_active(1, before=JAN)) == []
    assert list(duck.last_active(1, before=JAN).columns) == list(engine.LAST_ACTIVE)


def test_it_reads_only_the_months_before_the_bound_of_last_active(duck, monkeypatch):
    asked = []
    files = store.files

    def spy(source=None, months=None):
        answer = files(source, months)
        asked.append(answer)
        return answer

    monkeypatch.setattr(store, "files", spy)
    duck.last_active(1, before=FEB)
    assert {Path(name).parent.name for answer in asked for name in answer} == {
        "month=2026-01"}


def test_it_answers_empty_frames_on_an_empty_store(settings, tmp_path):
    settings.PHARE_USAGE_DIR = str(tmp_path / "nothing")
    duck = engine.connect("duckdb")
    for frame, columns in ((duck.monthly(), engine.MONTHLY), (duck.daily(), engine.DAILY),
                           (duck.first_use(1, JAN), engine.FIRST_USE),
                           (duck.cohorts(1), engine.COHORTS), (duck.depth(), engine.DEPTH),
                           (duck.last_active(1), engine.LAST_ACTIVE)):
        assert frame.empty and list(frame.columns) == list(columns)


def test_it_sees_a_new_people_file_and_new_partitions(duck):
    assert rows(duck.monthly(services=[2], months=[JAN])) == [(2, JAN, *U1, 1, 1)]
    store.write_people(pd.DataFrame({"person": [A], "unit": ["U7"]}))
    store.merge("events", events([(B, 2, day(1, 8), "active")]))
    assert rows(duck.monthly(services=[2], months=[JAN])) == [
        (2, JAN, "U7", None, None, 1, 1), (2, JAN, *NOBODY, 1, 1)]


def test_it_reads_again_when_a_write_removed_the_files_it_was_given(duck, monkeypatch):
    files = store.activity_files
    calls = []

    def stale(months=None):
        answer = files(months)
        if not calls:  # a merge lands between the manifest read and the query
            store.merge("events", events([(B, 2, day(1, 8), "active")]))
        calls.append(answer)
        return answer

    monkeypatch.setattr(store, "activity_files", stale)
    frame = duck.monthly(services=[2], months=[JAN])
    assert len(calls) == 2 and calls[0] != calls[1]
    assert rows(frame) == [(2, JAN, *U1, 2, 2)]


def test_it_says_which_extra_spark_needs(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError("No module named 'pyspark'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(engine.EngineUnavailable, match=r"phare-dsi\[spark\]"):
        engine.spark_available()


# The same results on Spark -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.parametrize("metric", list(METRICS))
def test_it_gives_the_same_results_on_duckdb_and_spark(metric, duck, spark):
    expected = METRICS[metric](duck)
    assert not expected.empty
    answer = METRICS[metric](spark)
    pd.testing.assert_frame_equal(answer, expected)


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.xdist_group("spark")
def test_it_counts_raw_months_and_person_months_the_same_on_spark(duck, spark, usage_dir):
    forget_person_months(usage_dir)
    store.merge("events", events([(A, 1, day(2, 2), "active")]))  # February's written again
    assert len(store.activity_files().person_months) == 1
    for metric in ("monthly", "monthly of some", "daily"):
        pd.testing.assert_frame_equal(METRICS[metric](spark), METRICS[metric](duck))


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.xdist_group("spark")
def test_it_reads_purged_months_the_same_on_spark(duck, spark):
    store.purge(before=MAR)
    for metric in ("monthly", "daily", "depth"):
        expected = METRICS[metric](duck)
        pd.testing.assert_frame_equal(METRICS[metric](spark), expected)
    assert rows(duck.monthly(months=[JAN]))[0] == (1, JAN, *U1, 2, 3)
