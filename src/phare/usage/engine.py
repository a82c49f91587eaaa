"""The usage metrics: each defined once as an Ibis expression, run by DuckDB or Apache Spark.

This module alone imports Ibis (and, lazily, PySpark). Each metric is built by a function of
Ibis tables (:func:`monthly_cells` over :func:`person_months`, :func:`person_days`,
:func:`first_uses`, :func:`cohort_sizes`, :func:`depth_people`, :func:`last_days`), so the
same expression runs on both backends;
:class:`Engine` gives it the tables of the files the store's manifest names (only the months
asked for: the partitions are per month) and returns a pandas DataFrame with a stable column
order, sorted, with normalised types (integers as int64, dates as :class:`datetime.date`,
missing codes as None) — DuckDB's and Spark's answers compare equal.

On an object store (``PHARE_USAGE_DIR=s3://…``) DuckDB scans pyarrow datasets read through
:mod:`phare.usage.objectstore` (DuckDB's own S3 extension is not needed), and Spark reads the
same files as ``s3a://`` URLs through Hadoop's S3A (``hadoop-aws``).

"Activity" is a row whose metric is ``active`` or starts with ``event:``; other metrics are
depth figures reported over a period (``period_days`` ending on ``day``). Adoption
(:meth:`Engine.monthly`) and daily users (:meth:`Engine.daily`) read the store's person-months
(:func:`person_months`, written by the store with :func:`summarise` when it changes a month)
rather than each event; a month without them is counted from its raw events. Months folded by
``store.purge`` are read from the store's aggregates by :meth:`Engine.monthly`,
:meth:`Engine.daily` and :meth:`Engine.depth`; the others need each person's days and only read
raw events. No figure here is released as is: pages apply the disclosure rules to them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import logging
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

import ibis  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
from django.conf import settings
from django.utils.translation import gettext as _

from phare.usage import objectstore, store

KINDS = ("duckdb", "spark")
#: Shuffle partitions of Spark's session: the result sets are small (services × units ×
#: months), Spark's default of 200 tasks per shuffle costs more than it spreads.
SPARK_SHUFFLE_PARTITIONS = 8
SEGMENTS = ("unit", "site", "job_family")

#: The columns of each result, in order, with their kind (how they are normalised).
MONTHLY = {"service": "int", "month": "date", "unit": "str", "site": "str",
           "job_family": "str", "active_users": "int", "active_days": "int"}
DAILY = {"service": "int", "month": "date", "dau_mean": "float"}
WEEKLY = {"service": "int", "month": "date", "wau_mean": "float"}
FIRST_USE = {"week": "date", "unit": "str", "site": "str", "job_family": "str",
             "new_users": "int"}
COHORTS = {"cohort": "date", "offset": "int", "users": "int"}
DEPTH = {"service": "int", "month": "date", "metric": "str", "people": "int",
         "total": "float", "duration": "float"}
LAST_ACTIVE = {"person": "str", "last_day": "date"}
ACTIVE_PEOPLE = {"person": "str"}
FOLD = {"service": "int", "month": "date", "unit": "str", "site": "str", "job_family": "str",
        "metric": "str", "people": "int", "total": "float", "duration": "float"}

_SPARK_EVENTS = ("person STRING, service INT, day DATE, metric STRING, value DOUBLE, "
                 "duration DOUBLE, period_days INT")
_SPARK_PEOPLE = "person STRING, unit STRING, site STRING, job_family STRING"
_SPARK_PERSON_MONTHS = "service INT, month DATE, person STRING, days INT"
_SPARK_AGGREGATES = ("service INT, month DATE, unit STRING, site STRING, job_family STRING, "
                     "metric STRING, people BIGINT, total DOUBLE, duration DOUBLE")


class EngineUnavailable(Exception):
    """The analytics engine asked for cannot run here (PySpark or Java missing)."""


# ---------------------------------------------------------------------------------------------
# The metric definitions: functions of Ibis tables, the same for every backend


def is_activity(events: ir.Table) -> ir.BooleanValue:
    """Rows that say a person used a service on a day."""
    return (events.metric == store.ACTIVE) | events.metric.startswith("event:")


def activity_days(events: ir.Table) -> ir.Table:
    """Distinct (service, person, day) of activity, with the day's month."""
    active = events.filter(is_activity(events))
    days = active.select(active.service, active.person, active.day).distinct()
    return days.mutate(month=days.day.truncate("M"))


def with_people(table: ir.Table, people: ir.Table | None) -> ir.Table:
    """``table`` with each person's unit, site and job family (None when not in the file)."""
    if people is None:
        return table.mutate(**{name: ibis.literal(None, type="string") for name in SEGMENTS})
    joined = table.left_join(people, table.person == people.person)
    return joined.select(*[table[name] for name in table.columns],
                         *[people[name] for name in SEGMENTS])


def person_months(events: ir.Table) -> ir.Table:
    """Per service × month × person active in it: the person's active days (what the store
    keeps per month as its person-months, ``store.PERSON_MONTHS``)."""
    days = activity_days(events)
    return days.group_by(["service", "month", "person"]).aggregate(days=days.count())


def cells(months: ir.Table, people: ir.Table | None) -> ir.Table:
    """Per service × month × unit × site × job family, from person-months (one row per person
    active in a month): distinct people active in the month (``active_users``) and their
    active days (``active_days``, person-days) — counted from each person's month rather than
    with a distinct count over days: the same figures, a smaller join, no distinct hash."""
    months = with_people(months, people)
    keys = ["service", "month", *SEGMENTS]
    return months.group_by(keys).aggregate(active_users=months.count(),
                                           active_days=months.days.sum())


def monthly_cells(events: ir.Table, people: ir.Table | None) -> ir.Table:
    """:func:`cells` of raw events."""
    return cells(person_months(events), people)


def month_totals(months: ir.Table) -> ir.Table:
    """Per service × month, from person-months: person-days of activity (the sum of the
    month's daily users)."""
    return months.group_by(["service", "month"]).aggregate(person_days=months.days.sum())


def person_days(events: ir.Table) -> ir.Table:
    """:func:`month_totals` of raw events."""
    return month_totals(person_months(events))


def summarise(held: Sequence[pa.Table], scanned: Any | None = None) -> pa.Table:
    """The person-months of raw events (``store.EVENTS`` rows), held in memory (``held``)
    and/or scanned from a pyarrow dataset of event files (``scanned``: read batch by batch),
    as the store keeps them (``store.PERSON_MONTHS``, sorted by service, month and person):
    :func:`person_months` on an in-memory DuckDB, whatever engine reads the store — the store
    is written by this process."""
    backend = ibis.duckdb.connect()
    try:
        inputs = [ibis.memtable(table.select(store.ACTIVITY_COLUMNS)) for table in held]
        if scanned is not None:
            backend.con.register("scanned_events", scanned)
            inputs.append(backend.table("scanned_events").select(*store.ACTIVITY_COLUMNS))
        events = inputs[0]
        for other in inputs[1:]:
            events = events.union(other, distinct=False)
        months = person_months(events)
        expr = months.select(*[months[name] for name in store.PERSON_MONTHS.names]).order_by(
            ["service", "month", "person"])
        return backend.to_pyarrow(expr).cast(store.PERSON_MONTHS)
    finally:
        backend.disconnect()


def weekly_users(events: ir.Table) -> ir.Table:
    """Per service × week (its Monday, and the month of that Monday): distinct people active
    in the week."""
    active = events.filter(is_activity(events))
    weeks = active.select(active.service, active.person,
                          week=active.day.truncate("W")).distinct()
    counted = weeks.group_by(["service", "week"]).aggregate(users=weeks.count())
    return counted.mutate(month=counted.week.truncate("M"))


def first_uses(events: ir.Table, people: ir.Table | None, service: int,
               since: dt.date) -> ir.Table:
    """Per week (its Monday) × unit × site × job family: people whose first activity on the
    service since ``since`` falls in that week."""
    active = events.filter(is_activity(events) & (events.service == service)
                           & (events.day >= since))
    first = active.group_by("person").aggregate(first=active.day.min())
    first = with_people(first.mutate(week=first.first.truncate("W")), people)
    keys = ["week", *SEGMENTS]
    return first.group_by(keys).aggregate(new_users=first.count())


def _month_number(value: ir.DateValue) -> ir.IntegerValue:
    return value.year().cast("int64") * 12 + value.month().cast("int64")


def cohort_sizes(events: ir.Table, service: int) -> ir.Table:
    """Per cohort (the month of first use) × offset (months after it): people active."""
    days = activity_days(events.filter(events.service == service))
    months = days.select(days.person, days.month).distinct()
    first = months.group_by("person").aggregate(cohort=months.month.min())
    joined = months.join(first, months.person == first.person)
    spans = joined.select(person=months.person, cohort=first.cohort,
                          offset=_month_number(months.month) - _month_number(first.cohort))
    return spans.group_by(["cohort", "offset"]).aggregate(users=spans.person.nunique())


def depth_people(events: ir.Table) -> ir.Table:
    """Per service × month × depth metric × person: the person's latest report of the month,
    scaled to 30 days (``value * 30 / period_days``, and its duration likewise). Two sources
    reporting the same day count once (the larger figure)."""
    rows = events.filter(~is_activity(events))
    rows = rows.mutate(month=rows.day.truncate("M"))
    keys = ["service", "month", "metric", "person"]
    latest = rows.group_by(keys).aggregate(latest=rows.day.max())
    joined = rows.join(latest, [rows[key] == latest[key] for key in keys]
                       + [rows.day == latest.latest])
    scale = ibis.literal(30.0) / rows.period_days.cast("float64")
    scaled = joined.select(*[rows[key] for key in keys], value=rows.value * scale,
                           duration=rows.duration * scale)
    return scaled.group_by(keys).aggregate(value=scaled.value.max(),
                                           duration=scaled.duration.max())


def depth_totals(reports: ir.Table, keys: Sequence[str]) -> ir.Table:
    """People whose report counts, and the sums of their scaled values and durations."""
    return reports.group_by(list(keys)).aggregate(people=reports.count(),
                                                  total=reports.value.sum(),
                                                  duration=reports.duration.sum())


def active_between(events: ir.Table, service: int, start: dt.date, end: dt.date) -> ir.Table:
    """The people (pseudonyms) with activity on ``service`` on a day in [start, end)."""
    active = events.filter(is_activity(events) & (events.service == service)
                           & (events.day >= start) & (events.day < end))
    return active.select(active.person).distinct()


def last_days(events: ir.Table, service: int, before: dt.date | None = None) -> ir.Table:
    """Each person's last day of activity on the service (strictly before ``before``, when
    given: the figure as of the day before it)."""
    wanted = is_activity(events) & (events.service == service)
    if before is not None:
        wanted &= events.day < before
    active = events.filter(wanted)
    return active.group_by("person").aggregate(last_day=active.day.max())


# ---------------------------------------------------------------------------------------------
# Results


def _normalise(frame: pd.DataFrame, kinds: dict[str, str], order: Sequence[str]) -> pd.DataFrame:
    """The columns in order with one type per kind, sorted by ``order``, index 0..n-1."""
    out = {}
    for name, kind in kinds.items():
        column = frame[name] if name in frame.columns else pd.Series(None, index=frame.index)
        if kind == "int":
            out[name] = column.astype("int64")
        elif kind == "float":
            out[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif kind == "date":
            dates = pd.to_datetime(column)
            out[name] = dates.dt.date.astype(object).where(dates.notna(), None)
        else:
            out[name] = column.astype(object).where(column.notna(), None)
    result = pd.DataFrame(out, index=frame.index)
    if len(result) and order:
        result = result.sort_values(list(order), na_position="last", kind="stable")
    return result.reset_index(drop=True)


def _empty(kinds: dict[str, str]) -> pd.DataFrame:
    return _normalise(pd.DataFrame({name: [] for name in kinds}), kinds, [])


def _month_list(months: Iterable[dt.date] | None) -> list[dt.date] | None:
    return None if months is None else sorted({month.replace(day=1) for month in months})


# ---------------------------------------------------------------------------------------------
# The engine

Query = TypeVar("Query", bound=Callable[..., pd.DataFrame])


def _retried(method: Query) -> Query:
    """A metric whose files were replaced by a write while it read them (the old generation
    removed after the manifest swap) runs once more, on the files named now."""

    @functools.wraps(method)
    def run(self: Engine, *args: Any, **kwargs: Any) -> pd.DataFrame:
        before = store.fingerprint()
        try:
            return method(self, *args, **kwargs)
        except Exception:
            if store.fingerprint() == before:
                raise
            return method(self, *args, **kwargs)

    return cast(Query, run)


class Engine:
    """The metrics over the usage store on one backend (``duckdb`` or ``spark``)."""

    def __init__(self, kind: str, *, spark_conf: dict[str, str] | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown analytics engine {kind!r} (one of {', '.join(KINDS)})")
        self.kind = kind
        self._spark_conf = dict(spark_conf or {})
        self._backend: Any = None
        self._session: Any = None
        self._lock = threading.RLock()
        self._tables: OrderedDict[tuple[str, ...], tuple[str, ir.Table]] = OrderedDict()

    # The backend, its tables ------------------------------------------------------------------

    @property
    def backend(self) -> Any:
        """The Ibis backend, connected on first use."""
        with self._lock:
            if self._backend is None:
                self._backend = self._duckdb() if self.kind == "duckdb" else self._spark()
            return self._backend

    @staticmethod
    def _duckdb() -> Any:
        return ibis.duckdb.connect()

    def _spark(self) -> Any:
        spark_available()
        from pyspark.sql import SparkSession

        builder = (SparkSession.builder.master(settings.PHARE_SPARK_MASTER)
                   .appName("phare-usage")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.shuffle.partitions", str(SPARK_SHUFFLE_PARTITIONS))
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
        conf = {**objectstore.spark_conf(store.location()), **self._spark_conf}
        for key, value in conf.items():
            builder = builder.config(key, value)
        self._session = builder.getOrCreate()
        self._session.sparkContext.setLogLevel("ERROR")
        # py4j logs each closed connection at INFO, some after the process's streams closed.
        logging.getLogger("py4j").setLevel(logging.WARNING)
        return ibis.pyspark.connect(self._session)

    def close(self) -> None:
        """Stop the Spark session, or close DuckDB's database (the next query opens anew)."""
        with self._lock:
            if self._backend is not None:
                if self._session is not None:
                    self._session.stop()
                else:
                    self._backend.disconnect()
            self._backend = self._session = None
            self._tables.clear()

    def _table(self, paths: Sequence[str], spark_schema: str, schema: pa.Schema,
               version: str = "") -> ir.Table:
        """A table over these Parquet files (named by their paths: a new generation is a new
        name, so a table never reads files that changed under it)."""
        key = (spark_schema, version, *paths)
        with self._lock:
            known = self._tables.get(key)
            if known is not None:
                self._tables.move_to_end(key)
                return known[1]
            backend = self.backend
            name = "usage_" + hashlib.sha256("\0".join(key).encode()).hexdigest()[:20]
            place = store.location()
            if self.kind == "duckdb" and place.remote:
                backend.con.register(name, objectstore.dataset(place, list(paths), schema))
                table = backend.table(name)
            elif self.kind == "duckdb":
                table = backend.read_parquet(list(paths), table_name=name,
                                             hive_partitioning=False)
            else:
                table = self._spark_table(name, paths, spark_schema)
            self._tables[key] = (name, table)
            while len(self._tables) > 32:
                _old_key, (old_name, _old) = self._tables.popitem(last=False)
                self._drop(old_name)
            return table

    def _spark_table(self, name: str, paths: Sequence[str], spark_schema: str) -> ir.Table:
        uris = [objectstore.spark_uri(path) for path in paths]
        try:
            frame = self._session.read.schema(spark_schema).parquet(*uris)
        except Exception as error:
            if not uris[0].startswith("s3a://") or "s3a" not in str(error).lower():
                raise
            raise EngineUnavailable(_(
                "Spark cannot read the usage store %(store)s: Hadoop's S3A is missing or "
                "refused (add the package %(package)s to Spark, e.g. spark.jars.packages, and "
                "give the store's endpoint and AWS credentials to every executor).")
                % {"store": store.location().url, "package": objectstore.HADOOP_AWS}
            ) from error
        frame.createOrReplaceTempView(name)
        return self.backend.table(name)

    def _drop(self, name: str) -> None:
        if self.kind == "duckdb":
            # Ibis 12's drop_view(force=True) writes SQL that DuckDB 2 refuses (the view's name
            # is lost): dropped here in plain SQL; names are the engine's own (hex digests).
            self.backend.raw_sql(f'DROP VIEW IF EXISTS "{name}"')
        else:
            self._session.catalog.dropTempView(name)

    def _events(self, months: Iterable[dt.date] | None = None) -> ir.Table | None:
        paths = store.files(months=months)
        return self._table(paths, _SPARK_EVENTS, store.EVENTS) if paths else None

    def _aggregate_table(self, paths: Sequence[str]) -> ir.Table:
        return self._table(paths, _SPARK_AGGREGATES, store.AGGREGATES)

    def _person_months(self, files: store.ActivityFiles,
                       services: Iterable[int] | None) -> ir.Table | None:
        """Person-months of the months ``files`` holds raw (the store's own where a month has
        them, counted from the raw events of the others), of these services."""
        parts = []
        if files.person_months:
            table = self._table(files.person_months, _SPARK_PERSON_MONTHS, store.PERSON_MONTHS)
            parts.append(_services(table, services))
        if files.events:
            events = self._table(files.events, _SPARK_EVENTS, store.EVENTS)
            parts.append(person_months(_services(events, services)))
        if not parts:
            return None
        aligned = [part.select(service=part.service.cast("int32"), month=part.month.cast("date"),
                               person=part.person, days=part.days.cast("int64"))
                   for part in parts]
        return aligned[0] if len(aligned) == 1 else aligned[0].union(aligned[1], distinct=False)

    def _people(self) -> ir.Table | None:
        path = store.people_file()
        version = store.people_version()
        if path is None or version is None:
            return None
        # The file is replaced, never rewritten in place: a new version is a new table.
        return self._table([path], _SPARK_PEOPLE, store.PEOPLE, version=version)

    def _run(self, expr: ir.Table, kinds: dict[str, str], order: Sequence[str]) -> pd.DataFrame:
        with self._lock:
            if self.kind == "duckdb":
                # Through Arrow: dates come as datetime.date, text as str, at C speed.
                frame = self.backend.to_pyarrow(expr).to_pandas(date_as_object=True)
            else:
                frame = self.backend.to_pandas(expr)
        return _normalise(frame, kinds, order)

    def _scalar(self, expr: ir.Scalar) -> Any:
        with self._lock:
            return self.backend.execute(expr)

    # The metrics --------------------------------------------------------------------------------

    @_retried
    def monthly(self, services: Iterable[int] | None = None,
                months: Iterable[dt.date] | None = None) -> pd.DataFrame:
        """Adoption: per service × month × unit × site × job family, the distinct people active
        in the month (``active_users``) and their active days (``active_days``). People not in
        the people file have no unit, site or job family. Reads only the months' partitions,
        and the aggregates of months folded by ``store.purge``."""
        files = store.activity_files(_month_list(months))
        parts = []
        person_months = self._person_months(files, services)
        if person_months is not None:
            parts.append(cells(person_months, self._people()))
        if files.aggregates:
            rows = _services(self._aggregate_table(files.aggregates), services)
            rows = rows.filter(rows.metric == store.ACTIVE)
            parts.append(rows.select(service=rows.service, month=rows.month, unit=rows.unit,
                                     site=rows.site, job_family=rows.job_family,
                                     active_users=rows.people,
                                     active_days=rows.total.cast("int64")))
        return self._union(parts, MONTHLY, ["service", "month", *SEGMENTS])

    @_retried
    def daily(self, services: Iterable[int] | None = None,
              months: Iterable[dt.date] | None = None) -> pd.DataFrame:
        """Stickiness's numerator: per service × month, the mean number of daily active users
        over the month's calendar days — for the store's latest month, over its days up to the
        last day with activity (of any service). Reads the aggregates of folded months."""
        files = store.activity_files(_month_list(months))
        parts = []
        person_months = self._person_months(files, services)
        if person_months is not None:
            parts.append(month_totals(person_months))
        if files.aggregates:
            rows = _services(self._aggregate_table(files.aggregates), services)
            rows = rows.filter(rows.metric == store.ACTIVE)
            parts.append(rows.group_by(["service", "month"])
                         .aggregate(person_days=rows.total.sum().cast("int64")))
        kinds = {"service": "int", "month": "date", "person_days": "int"}
        frame = self._union(parts, kinds, ["service", "month"])
        if frame.empty:
            return _empty(DAILY)
        last_day = self._last_day()
        days = [_days_counted(month, last_day) for month in frame["month"]]
        frame["dau_mean"] = frame["person_days"] / pd.Series(days, dtype="float64")
        return frame[list(DAILY)]

    def _last_day(self) -> dt.date | None:
        """The last day with activity in the store's latest month of raw events."""
        raw = sorted(set(store.months()) - set(store.purged_months()))
        if not raw:
            return None
        events = self._events([raw[-1]])
        if events is None:
            return None
        value = self._scalar(events.filter(is_activity(events)).day.max())
        if value is None or pd.isna(value):
            return None
        return pd.Timestamp(value).date()

    @_retried
    def weekly(self, services: Iterable[int] | None = None) -> pd.DataFrame:
        """Per service × month: the mean number of weekly active users over the weeks whose
        Monday falls in the month (a week is counted whole, across the month's end). Raw
        events only: folded months have no weekly figure."""
        events = self._events(None)
        if events is None:
            return _empty(WEEKLY)
        weeks = weekly_users(_services(events, services))
        expr = weeks.group_by(["service", "month"]).aggregate(
            wau_mean=weeks.users.mean())
        return self._run(expr, WEEKLY, ["service", "month"])

    @_retried
    def first_use(self, service: int, since: dt.date) -> pd.DataFrame:
        """Per week (its Monday) × unit × site × job family: people whose first activity on the
        service since ``since`` is in that week (a deployment's adoption curve). Raw events
        only: months folded by ``store.purge`` are not read."""
        months = [month for month in store.months() if month >= since.replace(day=1)]
        events = self._events(months)
        if events is None:
            return _empty(FIRST_USE)
        expr = first_uses(events, self._people(), service, since)
        return self._run(expr, FIRST_USE, ["week", *SEGMENTS])

    @_retried
    def cohorts(self, service: int) -> pd.DataFrame:
        """Retention: per cohort (month of first use) × offset (months after), people active
        on the service. Raw events only: months folded by ``store.purge`` are not read."""
        events = self._events()
        if events is None:
            return _empty(COHORTS)
        return self._run(cohort_sizes(events, service), COHORTS, ["cohort", "offset"])

    @_retried
    def depth(self, services: Iterable[int] | None = None,
              months: Iterable[dt.date] | None = None) -> pd.DataFrame:
        """Per service × month × depth metric (not activity): the people whose latest report of
        the month counts, the sum of their values and of their durations, each scaled to 30
        days. Reads the aggregates of folded months."""
        month_list = _month_list(months)
        keys = ["service", "month", "metric"]
        parts = []
        # Raw and folded months from one reading of the manifest: read twice, a month folded
        # by store.purge in between would count in neither, or in both.
        files = store.activity_files(month_list)
        if files.raw:
            events = self._table(files.raw, _SPARK_EVENTS, store.EVENTS)
            parts.append(depth_totals(depth_people(_services(events, services)), keys))
        if files.aggregates:
            rows = _services(self._aggregate_table(files.aggregates), services)
            rows = rows.filter(rows.metric != store.ACTIVE)
            parts.append(rows.group_by(keys).aggregate(people=rows.people.sum(),
                                                       total=rows.total.sum(),
                                                       duration=rows.duration.sum()))
        return self._union(parts, DEPTH, keys)

    @_retried
    def active_people(self, service: int, start: dt.date, end: dt.date) -> pd.DataFrame:
        """The people (pseudonyms) active on the service on a day in [start, end) — internal:
        the outcome of an action, compared by groups and released by the caller. Raw events
        of the months holding the window only."""
        months = [month for month in store.months()
                  if start.replace(day=1) <= month < end]
        events = self._events(months) if months else None
        if events is None:
            return _empty(ACTIVE_PEOPLE)
        return self._run(active_between(events, service, start, end), ACTIVE_PEOPLE,
                         ["person"])

    @_retried
    def last_active(self, service: int, before: dt.date | None = None) -> pd.DataFrame:
        """Each person's last day of activity on the service, among the events strictly
        before ``before`` when given (only the partitions of its month and earlier are read)
        — internal: licence utilisation; never shown. Raw events only: months folded by
        ``store.purge`` are not read."""
        months = None
        if before is not None:
            months = [month for month in store.months() if month < before]
        events = self._events(months)
        if events is None:
            return _empty(LAST_ACTIVE)
        return self._run(last_days(events, service, before), LAST_ACTIVE, ["person"])

    @_retried
    def fold(self, months: Iterable[dt.date]) -> pd.DataFrame:
        """The aggregates ``store.purge`` keeps for these months (raw events): per service ×
        month × unit × site × job family, the metric ``active`` (``people`` active users,
        ``total`` active days) and each depth metric (as :meth:`depth`, per cell)."""
        month_list = _month_list(months) or []
        events = self._events(month_list)
        if events is None:
            return _empty(FOLD)
        people = self._people()
        cells = monthly_cells(events, people)
        active = cells.select(*[cells[name] for name in ("service", "month", *SEGMENTS)],
                              metric=ibis.literal(store.ACTIVE),
                              people=cells.active_users.cast("int64"),
                              total=cells.active_days.cast("float64"),
                              duration=ibis.literal(None, type="float64"))
        reports = with_people(depth_people(events), people)
        depth = depth_totals(reports, ["service", "month", *SEGMENTS, "metric"])
        depth = depth.select(*[depth[name] for name in FOLD])
        return self._union([active, depth], FOLD, ["service", "month", *SEGMENTS, "metric"])

    def _union(self, parts: list[ir.Table], kinds: dict[str, str],
               order: Sequence[str]) -> pd.DataFrame:
        if not parts:
            return _empty(kinds)
        types = {"int": "int64", "float": "float64", "date": "date", "str": "string"}
        aligned = [part.select(**{name: part[name].cast(types[kind])
                                  for name, kind in kinds.items()}) for part in parts]
        expr = aligned[0]
        for part in aligned[1:]:
            expr = expr.union(part, distinct=False)
        return self._run(expr, kinds, order)


def _services(table: ir.Table, services: Iterable[int] | None) -> ir.Table:
    if services is None:
        return table
    return table.filter(table.service.isin([int(service) for service in services]))


def _days_counted(month: dt.date, last_day: dt.date | None) -> int:
    """The days a month's daily mean is taken over."""
    if last_day is not None and month == last_day.replace(day=1):
        return last_day.day
    return calendar.monthrange(month.year, month.month)[1]


_engines: dict[str, Engine] = {}
_engines_pid = 0
_connecting = threading.Lock()


def connect(kind: str | None = None) -> Engine:
    """The process's engine of this kind (``PHARE_ANALYTICS_ENGINE`` by default): DuckDB in
    this process, or a Spark session on ``PHARE_SPARK_MASTER`` (the ``spark`` extra), started
    at its first query. Raises :class:`EngineUnavailable` when Spark cannot run here."""
    global _engines_pid
    kind = kind or settings.PHARE_ANALYTICS_ENGINE
    with _connecting:
        if _engines_pid != os.getpid():
            # A worker forked from a process that had connected opens its own.
            _engines.clear()
            _engines_pid = os.getpid()
        engine = _engines.get(kind)
        if engine is None:
            engine = _engines[kind] = Engine(kind)
    if kind == "spark":
        spark_available()
    return engine


def spark_available() -> None:
    """Raise :class:`EngineUnavailable`, saying what to install, when Spark cannot run here."""
    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        raise EngineUnavailable(_(
            "The Spark analytics engine needs PySpark: install Phare with the spark extra "
            "(pip install 'phare-dsi[spark]').")) from error
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise EngineUnavailable(_(
            "The Spark analytics engine needs Java 17 (install a JRE, or set JAVA_HOME)."))

