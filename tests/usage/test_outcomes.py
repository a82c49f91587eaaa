"""Who was active on a service in a window: imported events read back through the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from phare.usage import engine, outcomes, services
from tests.usage.factories import import_events, make_people, use
from tests.usage.factories import service as make_service

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def scene(org):
    people = make_people(org, "use", 6)
    collab = make_service("collab", name="Collab")
    other = make_service("other", name="Other")
    rows = (use(people[:2], "collab", dt.date(2026, 4, 30))   # before the window
            + use(people[1:3], "collab", dt.date(2026, 5, 1))  # its first day
            + use(people[3:4], "collab", dt.date(2026, 5, 31), event="login")
            + use(people[4:5], "collab", dt.date(2026, 6, 1))  # its end: not in it
            + use(people[5:6], "other", dt.date(2026, 5, 10)))  # another service
    report = import_events(rows, today=TODAY)
    assert report.imported == len(rows) and report.unmatched == 0
    return {"people": people, "collab": collab, "other": other}


def test_it_gives_the_people_active_in_the_window_by_their_directory_id(scene):
    people = scene["people"]
    found = outcomes.active_people(scene["collab"].pk, start=dt.date(2026, 5, 1),
                                   end=dt.date(2026, 6, 1))
    assert found == {people[1].pk, people[2].pk, people[3].pk}


def test_it_reads_a_window_across_months(scene):
    people = scene["people"]
    found = outcomes.active_people(scene["collab"].pk, start=dt.date(2026, 4, 30),
                                   end=dt.date(2026, 6, 2))
    assert found == {p.pk for p in people[:5]}


def test_it_keeps_to_the_people_asked_about(scene):
    people = scene["people"]
    found = outcomes.active_people(scene["collab"].pk, start=dt.date(2026, 5, 1),
                                   end=dt.date(2026, 6, 1), among=[people[0].pk, people[2].pk])
    assert found == {people[2].pk}


def test_it_finds_nobody_outside_the_stored_months(scene):
    assert outcomes.active_people(scene["collab"].pk, start=dt.date(2025, 1, 1),
                                  end=dt.date(2025, 2, 1)) == set()
    assert outcomes.active_people(scene["other"].pk, start=dt.date(2026, 5, 11),
                                  end=dt.date(2026, 6, 1)) == set()


def test_it_refuses_an_empty_window(scene):
    with pytest.raises(ValueError, match="end: must come after start"):
        outcomes.active_people(scene["collab"].pk, start=dt.date(2026, 5, 1),
                               end=dt.date(2026, 5, 1))


def test_it_says_when_the_window_was_folded_by_the_retention(scene, settings):
    settings.PHARE_USAGE_RETENTION_DAYS = 30
    services.apply_retention(today=dt.date(2026, 7, 15))  # April and May are folded
    with pytest.raises(outcomes.UsageNotKept, match="2026-06-01"):
        outcomes.active_people(scene["collab"].pk, start=dt.date(2026, 5, 1),
                               end=dt.date(2026, 6, 1))
    assert outcomes.active_people(scene["collab"].pk, start=dt.date(2026, 6, 1),
                                  end=dt.date(2026, 7, 1)) == {scene["people"][4].pk}


@pytest.fixture
def spark_engine(spark, monkeypatch):
    """The run's one Spark session (``tests/usage/conftest.py``) as the process's engine."""
    monkeypatch.setitem(engine._engines, "spark", spark)
    return spark


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
def test_it_gives_the_same_people_on_spark(scene, settings, spark_engine):
    settings.PHARE_SPARK_MASTER = "local[2]"
    window = {"start": dt.date(2026, 4, 30), "end": dt.date(2026, 6, 1)}
    expected = outcomes.active_people(scene["collab"].pk, kind="duckdb", **window)
    assert outcomes.active_people(scene["collab"].pk, kind="spark", **window) == expected
    assert len(expected) == 4
