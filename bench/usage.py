"""Adoption by service × unit × month over a usage store of many events: Phare vs DuckDB SQL.

    python bench/usage.py [--events 100000000] [--spark] [--spark-events 10000000]

1. Generates ``--events`` usage events as Parquet with pyarrow, in chunks (memory stays
   bounded): ``--people`` people (default 300,000) in ``--units`` business units (200), 20
   sites and 12 job families, ``--services`` services (20, the first ones used far more),
   spread over the twelve months of 2025 — written in the layout ``phare.usage.store`` keeps
   (``events/source=bench/month=<YYYY-MM>/<generation>.parquet``, the manifest naming them,
   ``people.parquet``), each file sorted by service and day as the store writes it. Two
   thirds of the rows are ``active``, a fifth ``event:open``, the rest ``teams.meetings``
   (a depth metric, not activity). Then the store's person-months (each person's active days
   per service and month), as ``store.merge`` writes them beside the events: timed apart.
2. Computes adoption (distinct people active and active days per service × month × unit ×
   site × job family), in turn in the same run: through Phare (``Engine.monthly`` on DuckDB,
   the Ibis expression over the person-months, results as a sorted, typed pandas frame), as
   hand-written DuckDB SQL over the same person-months (the ceiling), through Phare and by
   hand over the raw events only (a store without person-months), as the ``count(DISTINCT)``
   query, and with pandas on one month of the raw events (the sample: ``pyarrow`` read +
   ``drop_duplicates`` + ``merge`` + ``groupby``), compared with Phare on that same month and
   scaled to the whole year (× the events of the year / the events of the month). Checks that
   they all give the same figures.
3. With ``--spark``, the same ``Engine.monthly`` on Spark local (``local[*]``) over
   ``--spark-events`` events (the data above when it is that size, else a store of its own),
   beside DuckDB's time on the same files, and checks the results are equal.
4. Times ``store.merge`` of ``--merge-rows`` events (new, then the same again).

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SITES, FAMILIES, YEAR, CHUNK = 20, 12, 2025, 4_000_000


def setup(folder: Path) -> None:
    """Django's settings only (the engine reads ``PHARE_USAGE_DIR``): no database needed."""
    home = tempfile.mkdtemp(prefix="phare-bench-")
    os.environ.update(PHARE_HOME=home, DJANGO_SETTINGS_MODULE="phare.settings",
                      PHARE_SECRET_KEY="bench-secret-key-not-for-production-01234",
                      PHARE_LOG_LEVEL="warning", PHARE_USAGE_DIR=str(folder))
    import django

    django.setup()


def point_at(folder: Path) -> None:
    from django.conf import settings

    settings.PHARE_USAGE_DIR = str(folder)


def pseudonyms(count: int):
    import pyarrow as pa

    rng = np.random.default_rng(7)
    raw = rng.integers(0, 256, size=(count, 16), dtype=np.uint8)
    return pa.array([bytes(row).hex() for row in raw], pa.string())


def generate(folder: Path, events: int, people: int, units: int, services: int) -> None:
    """Events of 2025 as the store lays them out, written chunk by chunk."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from phare.usage import store

    point_at(folder)
    store.clear()
    rng = np.random.default_rng(2025)
    persons = pseudonyms(people)
    index = np.arange(people)
    store.write_people(pd.DataFrame({
        "person": persons.to_pylist(),
        "unit": [f"U{u:03d}" for u in (index * 7919) % units],
        "site": [f"S{s:02d}" for s in (index * 31) % SITES],
        "job_family": [f"J{j:02d}" for j in (index * 17) % FAMILIES]}))
    weights = 1.0 / np.arange(1, services + 1) ** 0.8  # the first services used far more
    weights /= weights.sum()
    metrics = pa.array(["active", "event:open", "teams.meetings"], pa.string())
    manifest: dict = {"version": 1, "generation": 12, "events": {"bench": {}},
                      "aggregates": {}}
    per_month = np.full(12, events // 12)
    per_month[: events % 12] += 1
    for month in range(1, 13):
        first = dt.date(YEAR, month, 1)
        length = ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - first).days
        relative = f"events/source=bench/month={first:%Y-%m}/{month:08d}-bench.parquet"
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(target, store.EVENTS, compression="zstd",
                              dictionary_pagesize_limit=64 << 20) as writer:
            left = int(per_month[month - 1])
            while left:
                n = min(CHUNK, left)
                left -= n
                service = rng.choice(services, size=n, p=weights).astype(np.int32) + 1
                day = rng.integers(0, length, size=n, dtype=np.int32)
                order = np.lexsort((day, service))
                service, day = service[order], day[order]
                kind = np.searchsorted([0.67, 0.87], rng.random(n))
                depth = kind == 2
                table = pa.table({
                    "person": persons.take(pa.array(rng.integers(0, people, size=n))),
                    "service": pa.array(service, pa.int32()),
                    "day": pa.array(np.datetime64(first) + day.astype("timedelta64[D]"),
                                    pa.date32()),
                    "metric": metrics.take(pa.array(kind)),
                    "value": pa.array(np.where(depth, rng.integers(0, 20, size=n), 1.0),
                                      pa.float64()),
                    "duration": pa.array(np.where(depth, rng.integers(0, 7200, size=n), 0.0),
                                         pa.float64(), mask=~depth),
                    "period_days": pa.array(np.where(depth, 7, 1), pa.int32()),
                }, schema=store.EVENTS)
                writer.write_table(table, row_group_size=1_000_000)
        manifest["events"]["bench"][f"{first:%Y-%m}"] = relative
    # Files written by this script, not by store.merge: the manifest names them as merge would.
    (folder / "manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=1))


# The ceiling: the plan Phare's expression describes (each person's month first, then the
# cells), written by hand and fetched as DuckDB's own pandas frame.
CEILING_SQL = """
    WITH days AS (
      SELECT DISTINCT service, person, day FROM read_parquet({files})
      WHERE metric = 'active' OR starts_with(metric, 'event:')),
    months AS (
      SELECT service, date_trunc('month', day) AS month, person, count(*) AS days
      FROM days GROUP BY ALL)
    SELECT m.service, m.month, p.unit, p.site, p.job_family,
           count(*) AS active_users, sum(m.days) AS active_days
    FROM months m LEFT JOIN read_parquet('{people}') p ON p.person = m.person
    GROUP BY ALL ORDER BY ALL"""
# The query most people would write first: a distinct count per cell.
NAIVE_SQL = """
    WITH days AS (
      SELECT DISTINCT service, person, day, date_trunc('month', day) AS month
      FROM read_parquet({files})
      WHERE metric = 'active' OR starts_with(metric, 'event:'))
    SELECT d.service, d.month, p.unit, p.site, p.job_family,
           count(DISTINCT d.person) AS active_users, count(*) AS active_days
    FROM days d LEFT JOIN read_parquet('{people}') p ON p.person = d.person
    GROUP BY ALL ORDER BY ALL"""


# The same cells from the store's person-months (what store.merge writes beside the events:
# each person's active days per service and month), as Phare reads them. Their files hold
# their month: DuckDB must not take it from the folder's name (month=YYYY-MM, a string).
PERSON_MONTHS_SQL = """
    SELECT m.service, m.month, p.unit, p.site, p.job_family,
           count(*) AS active_users, sum(m.days) AS active_days
    FROM read_parquet({files}, hive_partitioning = false) m
    LEFT JOIN read_parquet('{people}') p ON p.person = m.person
    GROUP BY ALL ORDER BY ALL"""


def hand_written(con, folder: Path, sql: str = CEILING_SQL):
    from phare.usage import store

    point_at(folder)
    names = store.activity_files().person_months if sql is PERSON_MONTHS_SQL else store.files()
    files = "[" + ", ".join(f"'{name}'" for name in names) + "]"
    return con.execute(sql.format(files=files, people=store.people_file())).df()


def summarise(folder: Path) -> None:
    """The person-months of the generated months, as ``store.merge`` writes them."""
    from phare.usage import store

    point_at(folder)
    start = time.perf_counter()
    months = store.summarise()
    size = sum(path.stat().st_size for path in (folder / "person_months").rglob("*.parquet"))
    print(f"  person-months of {months} months (store.summarise, what store.merge writes "
          f"beside the events) in {time.perf_counter() - start:.1f} s, {size / 2**20:,.0f} MiB")


def from_raw_events(engine, folder: Path):
    """Engine.monthly on a store whose manifest names no person-months (as one written before
    them): the same expression counts each person's month from the raw events."""
    manifest = folder / "manifest.json"
    kept = manifest.read_text()
    data = json.loads(kept)
    data.pop("person_months", None)
    manifest.write_text(json.dumps(data))
    try:
        return phare_monthly(engine, folder)
    finally:
        manifest.write_text(kept)


def with_pandas(folder: Path, month: dt.date):
    """What an analyst would write: the month's file read into pandas, then grouped."""
    import pandas as pd
    import pyarrow.parquet as pq

    from phare.usage import store

    point_at(folder)
    frame = pq.read_table(store.files(months=[month]),
                          columns=["person", "service", "day", "metric"]).to_pandas()
    frame = frame[(frame["metric"] == "active") | frame["metric"].str.startswith("event:")]
    days = frame.drop_duplicates(["service", "person", "day"])
    days = days.assign(month=pd.Timestamp(month))
    people = pq.read_table(store.people_file()).to_pandas()
    cells = days.merge(people, on="person", how="left")
    keys = ["service", "month", "unit", "site", "job_family"]
    return (cells.groupby(keys, dropna=False)
            .agg(active_users=("person", "nunique"), active_days=("person", "size"))
            .reset_index())


def phare_monthly(engine, folder: Path, months=None):
    point_at(folder)
    return engine.monthly(months=months)


def rows(frame) -> list[tuple]:
    """Comparable rows: dates as dates, missing codes as None, counts as ints, sorted."""
    import pandas as pd

    out = []
    for record in frame.itertuples(index=False):
        values = []
        for value in record:
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                values.append(None)
            elif isinstance(value, pd.Timestamp | dt.datetime):
                values.append(value.date())
            elif isinstance(value, np.integer | int):
                values.append(int(value))
            else:
                values.append(value)
        out.append(tuple(values))
    return sorted(out, key=lambda row: tuple((value is None, value) for value in row))


def timed(label: str, func, *args, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<46} {best:8.2f} s   ({len(result):,} rows)")
    return best, result


def alternated(runs: list[tuple], repeat: int) -> list[tuple[float, object]]:
    """Each (label, func, *args) run ``repeat`` times in turn (a, b, a, b…: the machine's
    other work weighs on both alike); the best time of each, and its result."""
    best = [float("inf")] * len(runs)
    results: list[object] = [None] * len(runs)
    for _ in range(repeat):
        for position, (_label, func, *args) in enumerate(runs):
            start = time.perf_counter()
            results[position] = func(*args)
            best[position] = min(best[position], time.perf_counter() - start)
    for (label, *_rest), took, result in zip(runs, best, results, strict=True):
        print(f"  {label:<46} {took:8.2f} s   ({len(result):,} rows)")
    return list(zip(best, results, strict=True))


def same(label: str, left, right) -> None:
    print(f"  {label}: {'equal' if rows(left) == rows(right) else 'DIFFERENT'}")


def merge_rate(folder: Path, count: int) -> None:
    import pandas as pd

    from phare.usage import store

    point_at(folder)
    store.clear()
    rng = np.random.default_rng(3)
    persons = pseudonyms(50_000).to_numpy(zero_copy_only=False)
    frame = pd.DataFrame({
        "person": persons[rng.integers(0, len(persons), size=count)],
        "service": rng.integers(1, 21, size=count),
        "day": np.datetime64("2026-01-01") + rng.integers(0, 90, size=count).astype(
            "timedelta64[D]"),
        "metric": "active", "value": 1.0})
    for label in ("new", "the same again"):
        start = time.perf_counter()
        merged = store.merge("bench", frame)
        took = time.perf_counter() - start
        print(f"  store.merge of {count:,} events, {label:<15} {took:6.2f} s "
              f"({count / took:,.0f} rows/s; {merged})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spark", action="store_true", help="also time Spark local")
    parser.add_argument("--spark-events", type=int, default=10_000_000)
    parser.add_argument("--spark-memory", default="4g", help="Spark's driver (local mode)")
    parser.add_argument("--merge-rows", type=int, default=1_000_000)
    parser.add_argument("--dir", help="where to write (default: a temporary folder, removed)")
    args = parser.parse_args()
    base = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="phare-usage-"))
    base.mkdir(parents=True, exist_ok=True)
    setup(base / "main")
    import duckdb

    from phare.usage import engine as usage

    try:
        folder = base / "main"
        print(f"Generating {args.events:,} events ({args.people:,} people, {args.units} "
              f"units, {args.services} services, 2025)…")
        start = time.perf_counter()
        generate(folder, args.events, args.people, args.units, args.services)
        size = sum(path.stat().st_size for path in folder.rglob("*.parquet"))
        print(f"  generated in {time.perf_counter() - start:.1f} s, {size / 2**30:.2f} GiB")
        summarise(folder)

        duck = usage.connect("duckdb")
        con = duckdb.connect()
        print(f"Adoption by service × unit × month, {args.events:,} events "
              f"(best of {args.repeat}):")
        ((phare, result), (ceiling_time, ceiling), (raw_phare, raw_result),
         (raw_time, expected), (naive_time, naive)) = alternated([
            ("through Phare (Engine.monthly, DuckDB)", phare_monthly, duck, folder),
            ("hand-written SQL on the person-months", hand_written, con, folder,
             PERSON_MONTHS_SQL),
            ("through Phare from raw events only", from_raw_events, duck, folder),
            ("hand-written SQL on raw events, same plan", hand_written, con, folder),
            ("hand-written SQL on raw events, count(DISTINCT)", hand_written, con, folder,
             NAIVE_SQL)], args.repeat)
        same("Phare = SQL on the person-months", result, ceiling)
        same("Phare = SQL on raw events", result, expected)
        same("Phare from raw events = SQL on raw events", raw_result, expected)
        same("Phare = count(DISTINCT) SQL", result, naive)
        june = dt.date(YEAR, 6, 1)
        month_phare, month_result = timed(f"one month ({june:%Y-%m}) through Phare",
                                          phare_monthly, duck, folder, [june],
                                          repeat=args.repeat)
        month_pandas, month_expected = timed(f"one month ({june:%Y-%m}) with pandas",
                                             with_pandas, folder, june, repeat=1)
        same("Phare = pandas (one month)", month_result, month_expected)
        scale = args.events / (args.events // 12)
        print(f"  Phare / SQL on the same files (person-months) = {phare / ceiling_time:.2f}× "
              f"(goal ≤ 1.3×); from raw events: Phare / SQL = {raw_phare / raw_time:.2f}×")
        print(f"  Phare / SQL on raw events = {phare / raw_time:.2f}×; Phare / count(DISTINCT) "
              f"SQL = {phare / naive_time:.2f}×")
        print(f"  pandas / Phare on one month = {month_pandas / month_phare:.1f}×; pandas "
              f"scaled to the year ({month_pandas:.1f} s × {scale:.1f} = "
              f"{month_pandas * scale:.0f} s) / Phare on the year = "
              f"{month_pandas * scale / phare:.1f}× (goal ≥ 10×)")

        if args.spark:
            spark_folder = folder
            if args.spark_events != args.events:
                spark_folder = base / "spark"
                print(f"Generating {args.spark_events:,} events for Spark…")
                setup_start = time.perf_counter()
                generate(spark_folder, args.spark_events, args.people, args.units,
                         args.services)
                print(f"  generated in {time.perf_counter() - setup_start:.1f} s")
                summarise(spark_folder)
            start = time.perf_counter()
            usage.spark_available()
            spark = usage.Engine("spark", spark_conf={"spark.driver.memory": args.spark_memory})
            spark.backend  # noqa: B018 — start the session before timing the query
            print(f"Spark local ({os.cpu_count()} cores, driver {args.spark_memory}), "
                  f"{args.spark_events:,} events "
                  f"(session started in {time.perf_counter() - start:.1f} s; best of "
                  f"{args.repeat}):")
            (duck_time, duck_result), (spark_time, spark_result) = alternated([
                ("Engine.monthly on DuckDB", phare_monthly, duck, spark_folder),
                ("Engine.monthly on Spark", phare_monthly, spark, spark_folder)],
                args.repeat)
            same("Spark = DuckDB", spark_result, duck_result)
            print(f"  Spark / DuckDB = {spark_time / duck_time:.1f}×")
            spark.close()

        print("Store writes:")
        merge_rate(base / "merge", args.merge_rows)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"Peak memory of this process: {peak / 1024:,.0f} MB")
    finally:
        if not args.dir:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
