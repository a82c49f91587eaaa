"""The usage store: Parquet partitions by source and month, merged, swapped atomically, purged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from django.utils import translation

from phare.usage import engine, store

A, B, C = "a" * 32, "b" * 32, "c" * 32


@pytest.fixture(autouse=True)
def usage_dir(settings, tmp_path) -> Path:
    settings.PHARE_USAGE_DIR = str(tmp_path / "usage")
    return tmp_path / "usage"


def events(*rows: tuple) -> pd.DataFrame:
    """Rows of (person, service, day, metric, value[, duration, period_days])."""
    out = []
    for row in rows:
        person, service, day, metric, value, *rest = row
        duration = rest[0] if rest else None
        period = rest[1] if len(rest) > 1 else 1
        out.append({"person": person, "service": service, "day": day, "metric": metric,
                    "value": value, "duration": duration, "period_days": period})
    return pd.DataFrame(out)


def days(person: str, first: int, last: int, month: int = 1) -> list[tuple]:
    return [(person, 1, dt.date(2026, month, day), "active", 1.0)
            for day in range(first, last + 1)]


def parquet_files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*.parquet"))


def stored(source: str | None = None) -> pd.DataFrame:
    frames = [pq.read_table(path).to_pandas() for path in store.files(source)]
    if not frames:
        return pd.DataFrame(columns=store.EVENTS.names)
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(list(store.KEY)).reset_index(drop=True)


def test_it_writes_partitions_by_source_and_month_named_by_the_manifest(usage_dir):
    merged = store.merge("events", events(*days(A, 30, 31), (A, 1, dt.date(2026, 2, 1),
                                                             "event:open", 1.0)))
    assert merged == store.Merged(imported=3)
    layout = [name for name in parquet_files(usage_dir) if name.startswith("events/")]
    assert [name.rsplit("/", 1)[0] for name in layout] == [
        "events/source=events/month=2026-01", "events/source=events/month=2026-02"]
    manifest = json.loads((usage_dir / "manifest.json").read_text())
    assert sorted(manifest["events"]["events"]) == ["2026-01", "2026-02"]
    assert [name.rsplit("/", 1)[0] for name in parquet_files(usage_dir)
            if not name.startswith("events/")] == [
        "person_months/month=2026-01", "person_months/month=2026-02"]
    assert sorted(manifest["person_months"]) == ["2026-01", "2026-02"]
    assert store.files() == [str(usage_dir / name) for name in layout]
    assert store.files(months=[dt.date(2026, 2, 17)]) == [str(usage_dir / layout[1])]
    assert store.files(source="m365-teams") == []
    assert store.months() == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    table = pq.read_table(store.files()[0])
    assert table.schema.names == store.EVENTS.names
    assert str(table.schema.field("day").type) == "date32[day]"


def test_it_counts_imported_unchanged_and_replaced_rows(usage_dir):
    assert store.merge("events", events(*days(A, 1, 3))) == store.Merged(imported=3)
    again = store.merge("events", events(
        (A, 1, dt.date(2026, 1, 1), "active", 1.0),       # the same
        (A, 1, dt.date(2026, 1, 2), "active", 2.0),       # another value: replaced
        (B, 1, dt.date(2026, 1, 2), "active", 1.0),       # new
        (A, 1, dt.date(2026, 1, 2), "event:open", 1.0)))  # another metric: new
    assert again == store.Merged(imported=2, unchanged=1, replaced=1)
    rows = stored()
    assert len(rows) == 5
    replaced = rows[(rows.person == A) & (rows.metric == "active")
                    & (rows.day == dt.date(2026, 1, 2))]
    assert replaced["value"].tolist() == [2.0]


def test_it_changes_nothing_when_the_same_rows_come_again(usage_dir):
    frame = events(*days(A, 1, 5), *days(B, 1, 2, month=2),
                   (A, 2, dt.date(2026, 1, 9), "teams.meetings", 4.0, 120.0, 7))
    store.merge("m365-teams", frame)
    files, print_ = parquet_files(usage_dir), store.fingerprint()
    manifest = (usage_dir / "manifest.json").stat().st_mtime_ns
    assert store.merge("m365-teams", frame) == store.Merged(unchanged=8)
    assert parquet_files(usage_dir) == files
    assert store.fingerprint() == print_
    assert (usage_dir / "manifest.json").stat().st_mtime_ns == manifest


def test_it_keeps_one_row_per_key_when_periods_overlap(usage_dir):
    store.merge("events", events(*days(A, 1, 7)))
    overlapping = store.merge("events", events(*days(A, 5, 12)))
    assert overlapping == store.Merged(imported=5, unchanged=3)
    assert stored()["day"].tolist() == [dt.date(2026, 1, day) for day in range(1, 13)]
    # A key given twice in one frame: the later row wins.
    twice = store.merge("events", events((B, 1, dt.date(2026, 1, 3), "active", 1.0),
                                         (B, 1, dt.date(2026, 1, 3), "active", 3.0)))
    assert twice == store.Merged(imported=1)
    assert stored().query("person == @B")["value"].tolist() == [3.0]


def test_it_keeps_sources_apart(usage_dir):
    store.merge("events", events(*days(A, 1, 2)))
    assert store.merge("intranet", events(*days(A, 1, 2))) == store.Merged(imported=2)
    assert len(stored("events")) == 2 and len(stored("intranet")) == 2


def test_it_leaves_the_store_as_it_was_when_the_swap_fails(usage_dir, monkeypatch):
    store.merge("events", events(*days(A, 1, 3), *days(A, 1, 2, month=2)))
    before_files, before_rows = parquet_files(usage_dir), stored()
    before_print = store.fingerprint()

    def crash(manifest):
        raise OSError("disk full")

    monkeypatch.setattr(store, "_swap_manifest", crash)
    with pytest.raises(OSError, match="disk full"):
        store.merge("events", events(*days(B, 1, 3), *days(A, 1, 5, month=2),
                                     *days(B, 1, 1, month=3)))
    assert parquet_files(usage_dir) == before_files
    assert store.fingerprint() == before_print
    pd.testing.assert_frame_equal(stored(), before_rows)
    monkeypatch.undo()
    assert store.merge("events", events(*days(B, 1, 3))) == store.Merged(imported=3)


@translation.override("en")
def test_it_refuses_rows_it_cannot_store(usage_dir):
    with pytest.raises(store.StoreError, match="Usage source"):
        store.merge("../escape", events(*days(A, 1, 1)))
    with pytest.raises(store.StoreError, match="metric"):
        store.merge("events", pd.DataFrame({"person": [A], "service": [1],
                                            "day": [dt.date(2026, 1, 1)], "value": [1.0]}))
    with pytest.raises(store.StoreError, match="2 rows"):
        store.merge("events", events((A, 1, "not a day", "active", 1.0),
                                     (A, None, dt.date(2026, 1, 1), "active", 1.0)))
    assert parquet_files(usage_dir) == []


def test_it_rewrites_the_people_file_and_changes_the_fingerprint(usage_dir):
    empty = store.fingerprint()
    assert store.people_file() is None and store.people_stamp() is None
    written = store.write_people(pd.DataFrame({
        "person": [A, B, A], "unit": ["U1", "U2", "U9"], "site": ["S1", None, "S9"],
        "job_family": [None, "J2", "J9"]}), stamp="directory-1")
    assert written == 2
    first = store.fingerprint()
    assert first != empty
    people = pq.read_table(store.people_file()).to_pandas()
    assert people.to_dict("records") == [
        {"person": A, "unit": "U9", "site": "S9", "job_family": "J9"},
        {"person": B, "unit": "U2", "site": None, "job_family": "J2"}]
    assert store.people_stamp() == "directory-1"
    store.write_people(pd.DataFrame({"person": [C], "unit": ["U3"]}), stamp="directory-2")
    assert store.fingerprint() not in (empty, first)
    assert store.people_stamp() == "directory-2"
    assert pq.read_table(store.people_file()).to_pandas()["site"].tolist() == [None]
    second = store.fingerprint()
    store.merge("events", events(*days(C, 1, 1)))
    assert store.fingerprint() != second


def test_it_folds_old_months_into_aggregates_and_keeps_their_figures(usage_dir):
    store.write_people(pd.DataFrame({"person": [A, B], "unit": ["U1", "U1"],
                                     "site": ["S1", "S1"], "job_family": ["J1", None]}))
    store.merge("events", events(*days(A, 1, 4), *days(B, 3, 3), *days(C, 9, 10),
                                 *days(A, 2, 3, month=2), *days(B, 1, 1, month=3)))
    store.merge("m365-teams", events(
        (A, 1, dt.date(2026, 1, 7), "teams.meetings", 7.0, 70.0, 7),
        (A, 1, dt.date(2026, 1, 28), "teams.meetings", 14.0, 140.0, 7),
        (B, 1, dt.date(2026, 1, 28), "teams.meetings", 30.0, None, 30),
        (A, 1, dt.date(2026, 1, 28), "active", 1.0)))
    usage = engine.connect("duckdb")
    monthly, depth, daily = usage.monthly(), usage.depth(), usage.daily()
    assert store.purge(before=dt.date(2026, 3, 15)) == 3  # two sources in January, February
    assert store.months() == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert store.purged_months() == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert [Path(path).parent.name for path in store.files()] == ["month=2026-03"]
    assert [Path(path).parent.name for path in store.activity_files().person_months] == [
        "month=2026-03"]
    assert [name.split("/")[0] for name in parquet_files(usage_dir)] == [
        "aggregates", "aggregates", "events", "people.parquet", "person_months"]
    assert len(store.aggregate_files()) == 2
    assert not (usage_dir / "events" / "source=m365-teams").exists()
    pd.testing.assert_frame_equal(usage.monthly(), monthly)
    pd.testing.assert_frame_equal(usage.depth(), depth)
    pd.testing.assert_frame_equal(usage.daily(), daily)
    january = usage.monthly(months=[dt.date(2026, 1, 1)])
    assert january[["unit", "job_family", "active_users", "active_days"]].values.tolist() == [
        ["U1", "J1", 1, 5], ["U1", None, 1, 1], [None, None, 1, 2]]
    # A late file for a folded month is not stored; nothing is purged twice.
    assert store.merge("events", events(*days(C, 20, 21))) == store.Merged(expired=2)
    assert store.purge(before=dt.date(2026, 3, 15)) == 0


def person_months() -> list[tuple]:
    frames = [pq.read_table(path).to_pandas() for path in store.activity_files().person_months]
    return [tuple(row) for frame in frames for row in frame.itertuples(index=False)]


def test_it_keeps_each_persons_active_days_per_month_over_every_source(usage_dir):
    store.merge("events", events(*days(A, 1, 3), (A, 2, dt.date(2026, 1, 9), "event:open", 1.0),
                                 *days(B, 5, 5), *days(A, 2, 2, month=2)))
    store.merge("intranet", events(
        (A, 1, dt.date(2026, 1, 3), "event:login", 1.0),  # a day already counted
        (A, 1, dt.date(2026, 1, 4), "event:login", 1.0),  # a new one
        (C, 1, dt.date(2026, 1, 4), "teams.meetings", 5.0, None, 7)))  # depth: not activity
    jan, feb = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    assert person_months() == [(1, jan, A, 4), (1, jan, B, 1), (2, jan, A, 1), (1, feb, A, 1)]
    table = pq.read_table(store.activity_files().person_months[0])
    assert table.schema.remove_metadata() == store.PERSON_MONTHS
    # The store's person-months are the engine's person_months of every source's events.
    raw = pa.concat_tables([pq.read_table(path) for path in store.files()])
    counted = engine.summarise([raw.cast(store.EVENTS)])
    assert sorted(tuple(row.values()) for row in counted.to_pylist()) == sorted(person_months())
    # The same from the files scanned (how a merge reads the sources it does not hold).
    assert engine.summarise([], pads.dataset(store.files(), schema=store.EVENTS)).equals(counted)


def test_it_counts_a_persons_months_again_under_a_new_pseudonym(usage_dir):
    store.merge("events", events(*days(A, 1, 3), *days(B, 2, 2), *days(A, 1, 1, month=2)))
    store.merge("intranet", events(*days(A, 3, 6)))
    before = store.activity_files().person_months
    assert store.rekey(A, C) == 8
    after = store.activity_files().person_months
    assert set(before).isdisjoint(after) and len(after) == 2
    jan, feb = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    assert person_months() == [(1, jan, B, 1), (1, jan, C, 6), (1, feb, C, 1)]
    assert all(A not in name for name in parquet_files(usage_dir))
    assert not any(A in str(row) for row in person_months())


def test_it_writes_no_person_months_when_a_merge_fails(usage_dir, monkeypatch):
    store.merge("events", events(*days(A, 1, 3)))
    before = parquet_files(usage_dir)

    def crash(held, scanned=None):
        raise MemoryError("no room to count")

    monkeypatch.setattr(engine, "summarise", crash)
    with pytest.raises(MemoryError):
        store.merge("events", events(*days(B, 1, 3), *days(B, 1, 1, month=2)))
    assert parquet_files(usage_dir) == before
    assert person_months() == [(1, dt.date(2026, 1, 1), A, 3)]


def test_it_clears_everything(usage_dir):
    store.merge("events", events(*days(A, 1, 1)))
    store.write_people(pd.DataFrame({"person": [A]}))
    store.clear()
    assert parquet_files(usage_dir) == [] and store.files() == [] and store.months() == []
    assert store.merge("events", events(*days(A, 1, 1))) == store.Merged(imported=1)
