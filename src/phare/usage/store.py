"""The usage store: raw usage events as Parquet files, partitioned by source and month.

This module alone writes the usage app's Parquet files (with pyarrow); the metrics that read
them are defined once in :mod:`phare.usage.engine`. The layout under ``PHARE_USAGE_DIR``::

    manifest.json                                    the current file of every partition
    events/source=<source>/month=<YYYY-MM>/<generation>.parquet
    person_months/month=<YYYY-MM>/<generation>.parquet  each person's active days, all sources
    aggregates/month=<YYYY-MM>/<generation>.parquet  months folded by :func:`purge`
    people.parquet                                   the directory dimension (pseudonyms)

An event row is ``person`` (a 32-hex pseudonym), ``service`` (catalogue id), ``day``,
``metric`` (``active``, ``event:<name>`` or a depth metric such as ``teams.meetings``),
``value``, ``duration`` (seconds, nullable) and ``period_days`` (the days ``value`` covers,
ending on ``day``). Within a source a row is identified by (person, service, day, metric).

Each month of raw events also has its **person-months**: per service and person active in the
month, the days of activity, over every source (``engine.person_months``, the one definition).
:func:`merge` and :func:`rekey` write them again for every month they change, in the same
manifest swap as the events, so adoption (``engine.monthly``) and daily users read one row per
person and month instead of each of their events. A month without them (a store written
before they existed) is read from its raw events until :func:`summarise` or a merge writes them.

``PHARE_USAGE_DIR`` is a folder or an S3-compatible object store (``s3://bucket/prefix``):
:mod:`phare.usage.objectstore` reads and writes the files there, the same way for both.

A write never changes a file in place: new partition files get new generation names, written
whole, then the one manifest naming the current file of every partition is replaced (a
temporary file and ``os.replace``, or one object PUT) under the store's lock, then the files it
no longer names are removed. Readers only read the files the manifest names, so they see the
store before or after a write, never half of it; a write that fails before the swap leaves the
store as it was. Before the swap the manifest is read again: if it is no longer the one the
write started from (a second writer, which Phare does not allow), the write is refused and its
new files removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from django.conf import settings
from django.utils.translation import gettext as _

from phare.usage import objectstore
from phare.usage.objectstore import Location
from phare.usage.objectstore import StoreError as StoreError

#: The columns of an event file, in this order.
EVENTS = pa.schema([
    ("person", pa.string()),
    ("service", pa.int32()),
    ("day", pa.date32()),
    ("metric", pa.string()),
    ("value", pa.float64()),
    ("duration", pa.float64()),
    ("period_days", pa.int32()),
])
#: The directory dimension: a person's codes, each nullable.
PEOPLE = pa.schema([
    ("person", pa.string()),
    ("unit", pa.string()),
    ("site", pa.string()),
    ("job_family", pa.string()),
])
#: Figures of a month folded by :func:`purge`, per service × month × unit × site × job family ×
#: metric. For the metric ``active`` (all activity), ``people`` is the month's active users and
#: ``total`` its active days (person-days); for a depth metric, ``people`` is the people whose
#: report counts, ``total`` and ``duration`` the sums scaled to 30 days (as ``engine.depth``).
AGGREGATES = pa.schema([
    ("service", pa.int32()),
    ("month", pa.date32()),
    ("unit", pa.string()),
    ("site", pa.string()),
    ("job_family", pa.string()),
    ("metric", pa.string()),
    ("people", pa.int64()),
    ("total", pa.float64()),
    ("duration", pa.float64()),
])
#: Each person's days of activity per service and month, over every source of the month.
PERSON_MONTHS = pa.schema([
    ("service", pa.int32()),
    ("month", pa.date32()),
    ("person", pa.string()),
    ("days", pa.int32()),
])
KEY = ("person", "service", "day", "metric")
#: The columns of an event that say whether and when a person used a service.
ACTIVITY_COLUMNS = ["person", "service", "day", "metric"]
#: The metric of the rows that say "this person used this service on this day".
ACTIVE = "active"
_SOURCE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
_MANIFEST = "manifest.json"
_PEOPLE = "people.parquet"
_STAMP = b"phare.stamp"


@dataclass(frozen=True, slots=True)
class Merged:
    """What :func:`merge` did with a frame's rows. ``expired`` counts rows of months already
    folded into aggregates by :func:`purge` (older than the retention): they are not stored."""

    imported: int = 0
    unchanged: int = 0
    replaced: int = 0
    expired: int = 0


def root() -> Path:
    """The store's folder (``PHARE_USAGE_DIR``: a path or a ``file://`` URL); an object store
    has none (:func:`location` says where it is)."""
    place = location()
    if place.remote:
        raise StoreError(_("PHARE_USAGE_DIR=%(value)s is an object store, not a folder.")
                         % {"value": settings.PHARE_USAGE_DIR})
    return Path(place.base)


def location() -> Location:
    """Where the store is: a folder or an object store (:mod:`phare.usage.objectstore`)."""
    return objectstore.location()


def exists() -> bool:
    """Whether anything was ever written to the store."""
    return objectstore.exists(location())


def _locked(place: Location) -> AbstractContextManager[None]:
    return objectstore.lock(place)


def _empty_manifest() -> dict[str, Any]:
    return {"version": 1, "generation": 0, "events": {}, "aggregates": {}, "person_months": {}}


def _read_manifest(place: Location) -> tuple[dict[str, Any], bytes | None]:
    """The manifest and its bytes as read (None: no manifest yet)."""
    raw = objectstore.read_bytes(place, _MANIFEST)
    if raw is None:
        return _empty_manifest(), None
    try:
        manifest = json.loads(raw)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("version") != 1:
        raise StoreError(_("%(path)s is not a usage store manifest")
                         % {"path": place.uri(_MANIFEST)})
    return manifest, raw


def _manifest(place: Location | None = None) -> dict[str, Any]:
    return _read_manifest(place or location())[0]


def _unchanged(place: Location, seen: bytes | None) -> None:
    """Refuse a write when the manifest is no longer the one it read (``seen``): another
    process wrote the store meanwhile. Checked just before :func:`_swap_manifest`."""
    if objectstore.read_bytes(place, _MANIFEST) != seen:
        raise StoreError(_(
            "The usage store %(store)s changed while this write ran: another process wrote "
            "it. Only one process (Phare's worker) may write a usage store; nothing of this "
            "write was kept.") % {"store": objectstore.describe(place)})


def _swap_manifest(manifest: dict[str, Any]) -> None:
    """Replace the manifest: the one step that makes a write visible."""
    data = json.dumps(manifest, sort_keys=True, indent=1).encode()
    objectstore.write_bytes(location(), _MANIFEST, data)


def _generation(manifest: dict[str, Any]) -> str:
    # A counter and a random part: a name is never reused, even after clear() or a crash.
    manifest["generation"] = int(manifest["generation"]) + 1
    return f"{manifest['generation']:08d}-{secrets.token_hex(4)}"


def _write(place: Location, table: pa.Table, relative: str) -> None:
    objectstore.write_table(place, relative, table)


def _remove(place: Location, relatives: Iterable[str]) -> None:
    objectstore.delete(place, relatives)


def _month_key(value: dt.date) -> str:
    return f"{value:%Y-%m}"


def _month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _months_filter(months: Iterable[dt.date] | None) -> set[str] | None:
    return None if months is None else {_month_key(month) for month in months}


# ---------------------------------------------------------------------------------------------
# Reading the manifest


def fingerprint() -> str:
    """Changes whenever the manifest or the people file changes (for caches of figures)."""
    place = location()
    digest = hashlib.sha256(place.url.encode())
    digest.update(objectstore.read_bytes(place, _MANIFEST) or b"no manifest")
    digest.update((objectstore.version(place, _PEOPLE) or "no people").encode())
    return digest.hexdigest()[:32]


def files(source: str | None = None, months: Iterable[dt.date] | None = None) -> list[str]:
    """The current event files (absolute paths, or ``s3://`` URLs), of one source and some
    months (the months' first days, or any day in them) when given."""
    place = location()
    manifest = _manifest(place)
    wanted = _months_filter(months)
    out = []
    for name, partitions in sorted(manifest["events"].items()):
        if source is not None and name != source:
            continue
        for month, relative in sorted(partitions.items()):
            if wanted is None or month in wanted:
                out.append(place.uri(relative))
    return out


def aggregate_files(months: Iterable[dt.date] | None = None) -> list[str]:
    """The current files of the months folded by :func:`purge` (absolute paths or URLs)."""
    place = location()
    wanted = _months_filter(months)
    return [place.uri(relative)
            for month, relative in sorted(_manifest(place)["aggregates"].items())
            if wanted is None or month in wanted]


class ActivityFiles(NamedTuple):
    """Where some months' activity is, from one reading of the manifest: the person-months of
    the months that have them, the raw events of those that have not, the aggregates of the
    months folded by :func:`purge` (absolute paths or URLs; each month in one list only); and
    ``raw``, every raw event file of the months, for what person-months do not hold (depth)."""

    person_months: list[str]
    events: list[str]
    aggregates: list[str]
    raw: list[str]


def activity_files(months: Iterable[dt.date] | None = None) -> ActivityFiles:
    """The files holding these months' activity (every month when None)."""
    place = location()
    manifest = _manifest(place)
    wanted = _months_filter(months)
    summaries = manifest.get("person_months", {})
    folded = manifest["aggregates"]
    raw_files = [(month, place.uri(relative))
                 for _name, partitions in sorted(manifest["events"].items())
                 for month, relative in sorted(partitions.items())
                 if wanted is None or month in wanted]
    raw = {month for month, _path in raw_files}
    return ActivityFiles(
        person_months=[place.uri(relative) for month, relative in sorted(summaries.items())
                       if (wanted is None or month in wanted) and month in raw],
        events=[path for month, path in raw_files if month not in summaries],
        aggregates=[place.uri(relative) for month, relative in sorted(folded.items())
                    if wanted is None or month in wanted],
        raw=[path for _month, path in raw_files])


def _parse_month(key: str) -> dt.date:
    return dt.date(int(key[:4]), int(key[5:7]), 1)


def months() -> list[dt.date]:
    """Every month with figures (raw events or folded aggregates), as first days, sorted."""
    manifest = _manifest()
    keys = {month for partitions in manifest["events"].values() for month in partitions}
    keys |= set(manifest["aggregates"])
    return sorted(_parse_month(key) for key in keys)


def purged_months() -> list[dt.date]:
    """The months whose raw events were folded into aggregates, as first days, sorted."""
    return sorted(_parse_month(key) for key in _manifest()["aggregates"])


def people_file() -> str | None:
    """The directory dimension's file (a path or URL), when written."""
    place = location()
    return place.uri(_PEOPLE) if objectstore.version(place, _PEOPLE) else None


def people_version() -> str | None:
    """Changes whenever the people file is replaced (None: no people file): the file's own
    version and the mark :func:`write_people` leaves in the manifest."""
    place = location()
    found = objectstore.version(place, _PEOPLE)
    if found is None:
        return None
    return f"{found}:{_manifest(place).get('people', '')}"


def people_stamp() -> str | None:
    """The stamp given to :func:`write_people` for the people file there now, if any."""
    schema = objectstore.read_schema(location(), _PEOPLE)
    if schema is None:
        return None
    value = (schema.metadata or {}).get(_STAMP)
    return None if value is None else bytes(value).decode()


# ---------------------------------------------------------------------------------------------
# Writing


def _events_table(frame: pd.DataFrame) -> pa.Table:
    """The frame as an event table with the store's types, checked."""
    missing = [name for name in ("person", "service", "day", "metric", "value")
               if name not in frame.columns]
    if missing:
        raise StoreError(_("Usage events lack the columns %(columns)s.")
                         % {"columns": ", ".join(missing)})
    data = pd.DataFrame({
        "person": frame["person"].astype("string"),
        "service": pd.to_numeric(frame["service"], errors="coerce"),
        "day": pd.to_datetime(frame["day"], errors="coerce", format="ISO8601").dt.date,
        "metric": frame["metric"].astype("string"),
        "value": pd.to_numeric(frame["value"], errors="coerce").astype("float64"),
        "duration": (pd.to_numeric(frame["duration"], errors="coerce").astype("float64")
                     if "duration" in frame.columns else float("nan")),
        "period_days": (pd.to_numeric(frame["period_days"], errors="coerce")
                        if "period_days" in frame.columns else 1),
    })
    required = data[["person", "service", "day", "metric", "value", "period_days"]]
    bad = required.isna().any(axis=1)
    if bool(bad.any()):
        position = int(bad.to_numpy().nonzero()[0][0])
        raise StoreError(_(
            "Usage events: %(count)d rows with an empty or invalid person, service, day, "
            "metric, value or period, the first at row %(row)d.")
            % {"count": int(bad.sum()), "row": position})
    if bool((data["period_days"] < 1).any()):
        raise StoreError(_("Usage events: the period (period_days) must be at least 1."))
    data["service"] = data["service"].astype("int32")
    data["period_days"] = data["period_days"].astype("int32")
    data["person"] = data["person"].astype(object)
    data["metric"] = data["metric"].astype(object)
    return pa.Table.from_pandas(data, schema=EVENTS, preserve_index=False)


def _last_of_each_key(table: pa.Table) -> pa.Table:
    """One row per key: the last one given (a later row of a file wins)."""
    numbered = table.append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    last = numbered.group_by(list(KEY), use_threads=False).aggregate([("_row", "max")])
    keep = pc.is_in(numbered["_row"], value_set=last["_row_max"])
    return numbered.filter(keep).drop_columns(["_row"])


def _same(left: pa.ChunkedArray, right: pa.ChunkedArray) -> pa.ChunkedArray:
    """Element-wise equality where two nulls are equal."""
    equal = pc.fill_null(pc.equal(left, right), False)
    both_null = pc.and_(pc.is_null(left), pc.is_null(right))
    return pc.or_(equal, both_null)


def _merge_partition(old: pa.Table | None, new: pa.Table) -> tuple[pa.Table | None, Merged]:
    """The partition's new table (None when nothing changes) and what the merge did."""
    if old is None or old.num_rows == 0:
        return _sorted(new), Merged(imported=new.num_rows)
    marked = old.append_column("_stored", pc.is_valid(old["person"]))
    joined = new.join(marked, keys=list(KEY), join_type="left outer", right_suffix="_old")
    stored = pc.fill_null(joined["_stored"], False)
    same = pc.and_(pc.and_(_same(joined["value"], joined["value_old"]),
                           _same(joined["duration"], joined["duration_old"])),
                   _same(joined["period_days"], joined["period_days_old"]))
    unchanged = int(pc.sum(pc.and_(stored, same)).as_py() or 0)
    found = int(pc.sum(stored).as_py() or 0)
    merged = Merged(imported=new.num_rows - found, unchanged=unchanged,
                    replaced=found - unchanged)
    if merged.imported == 0 and merged.replaced == 0:
        return None, merged
    kept = old.join(new.select(list(KEY)), keys=list(KEY), join_type="left anti")
    return _sorted(pa.concat_tables([kept.select(EVENTS.names).cast(EVENTS),
                                     new.select(EVENTS.names).cast(EVENTS)])), merged


def _sorted(table: pa.Table) -> pa.Table:
    # By service then day: row groups' statistics let readers skip other services' rows.
    return table.sort_by([("service", "ascending"), ("day", "ascending"),
                          ("person", "ascending"), ("metric", "ascending")])


@dataclass
class _Swap:
    """The files a change writes under new names, and those it makes obsolete."""

    written: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


@contextmanager
def _swapping(place: Location, manifest: dict[str, Any], seen: bytes | None
              ) -> Iterator[_Swap]:
    """The one way the store changes: new files written whole, then one manifest swap makes
    them current — if the manifest is still the one read (``seen``). On any failure the new
    files go and the old stay current; after the swap, the files it replaced go."""
    swap = _Swap()
    try:
        yield swap
        if swap.written:
            _unchanged(place, seen)
            _swap_manifest(manifest)
    except BaseException:
        _remove(place, swap.written)
        raise
    _remove(place, swap.replaced)


def merge(source: str, frame: pd.DataFrame) -> Merged:
    """Merge a source's events into the store, de-duplicated by (person, service, day, metric).

    A row identical to a stored one is ``unchanged``, one with a stored key and another value
    ``replaced`` (the new row wins), the others ``imported``. Merging the same rows again
    changes nothing and writes nothing. Every partition touched is written under a new name
    and made current by one manifest swap: all of the merge, or none of it.
    """
    if not _SOURCE.match(source):
        raise StoreError(_("Usage source %(source)s: only lower-case letters, digits, '.', "
                           "'-' and '_'.") % {"source": repr(source)})
    if frame.empty:
        return Merged()
    table = _last_of_each_key(_events_table(frame))
    month_of = pc.strftime(pc.cast(table["day"], pa.timestamp("s")), format="%Y-%m")
    table = table.append_column("_month", month_of)
    place = location()
    with _locked(place):
        manifest, seen = _read_manifest(place)
        folded = set(manifest["aggregates"])
        partitions: dict[str, str] = manifest["events"].setdefault(source, {})
        totals = Merged()
        summarised = manifest.get("person_months", {})
        written: dict[str, pa.Table] = {}
        stale: list[str] = []
        with _swapping(place, manifest, seen) as swap:
            for month in sorted(set(month_of.to_pylist())):
                rows = table.filter(pc.equal(table["_month"], month)).drop_columns(["_month"])
                if month in folded:
                    totals = _add(totals, Merged(expired=rows.num_rows))
                    continue
                current = partitions.get(month)
                old = objectstore.read_table(place, current, EVENTS) if current else None
                result, merged = _merge_partition(old, rows)
                totals = _add(totals, merged)
                if result is None:
                    if current and month not in summarised:
                        stale.append(month)  # a month stored before person-months existed
                    continue
                relative = (f"events/source={source}/month={month}/"
                            f"{_generation(manifest)}.parquet")
                swap.written.append(relative)
                _write(place, result, relative)
                if current:
                    swap.replaced.append(current)
                partitions[month] = relative
                written[relative] = result
                stale.append(month)
            if not partitions:
                manifest["events"].pop(source)
            _summarise(place, manifest, stale, swap, written)
    return totals


def _summarise(place: Location, manifest: dict[str, Any], months: Iterable[str],
               swap: _Swap, written: dict[str, pa.Table] | None = None) -> None:
    """Write the person-months of these months (keys ``YYYY-MM``) from every source's
    partition the manifest names now, as part of ``swap``; ``written`` holds the tables of
    partitions this change wrote (not read again). A month without raw events loses them."""
    from phare.usage import engine  # the metrics' one definition counts the days

    summaries: dict[str, str] = manifest.setdefault("person_months", {})
    written = written or {}
    for month in sorted(set(months)):
        held, stored = [], []
        for _source, partitions in sorted(manifest["events"].items()):
            relative = partitions.get(month)
            if relative in written:
                held.append(written[relative])
            elif relative is not None:
                stored.append(place.uri(relative))
        previous = summaries.pop(month, None)
        if previous:
            swap.replaced.append(previous)
        if not held and not stored:
            continue
        # The other sources' partitions are scanned from their files, not loaded whole.
        scanned = objectstore.dataset(place, stored, EVENTS) if stored else None
        relative = f"person_months/month={month}/{_generation(manifest)}.parquet"
        swap.written.append(relative)
        _write(place, engine.summarise(held, scanned), relative)
        summaries[month] = relative


def summarise() -> int:
    """Write the person-months of every month of raw events without them (a store written
    before they existed); the number of months written. Idempotent: a store whose months all
    have them is left as it is."""
    place = location()
    if not objectstore.exists(place):
        return 0
    with _locked(place):
        manifest, seen = _read_manifest(place)
        summarised = manifest.get("person_months", {})
        missing = sorted({month for partitions in manifest["events"].values()
                          for month in partitions} - set(summarised))
        if not missing:
            return 0
        with _swapping(place, manifest, seen) as swap:
            _summarise(place, manifest, missing, swap)
    return len(missing)


def _add(left: Merged, right: Merged) -> Merged:
    return Merged(imported=left.imported + right.imported,
                  unchanged=left.unchanged + right.unchanged,
                  replaced=left.replaced + right.replaced,
                  expired=left.expired + right.expired)


def write_people(frame: pd.DataFrame, *, stamp: str | None = None) -> int:
    """Replace the directory dimension (``person`` pseudonym, ``unit``, ``site``,
    ``job_family`` codes, nullable) atomically; a person given twice keeps the last row.
    ``stamp`` (the caller's mark of the directory's state) is kept in the file, for
    :func:`people_stamp`. Returns the number of people written."""
    if "person" not in frame.columns:
        raise StoreError(_("The people file needs a person column."))
    data = pd.DataFrame({name: (frame[name] if name in frame.columns else None)
                         for name in PEOPLE.names})
    data = data[data["person"].notna()].drop_duplicates("person", keep="last")
    for name in PEOPLE.names:
        data[name] = data[name].astype(object).where(data[name].notna(), None)
        data[name] = data[name].map(lambda value: None if value is None else str(value))
    table = pa.Table.from_pandas(data, schema=PEOPLE, preserve_index=False)
    if stamp is not None:
        table = table.replace_schema_metadata({_STAMP: stamp.encode()})
    place = location()
    with _locked(place):
        manifest, seen = _read_manifest(place)
        _write(place, table.sort_by("person"), _PEOPLE)
        # The file is replaced whole at one name; the manifest's mark tells readers it is a
        # new one (an object's time has whole seconds: two writes a second apart look alike).
        manifest["people"] = secrets.token_hex(8)
        _unchanged(place, seen)
        _swap_manifest(manifest)
    return table.num_rows


def purge(before: dt.date) -> int:
    """Fold the raw events of the months wholly before ``before`` into ``aggregates/`` (per
    service, month, unit, site, job family, metric — people joined to the people file as it is
    now) and remove those raw partitions. Returns the number of raw partition files removed.

    Figures that read aggregates for such months (``engine.monthly``, ``engine.daily``,
    ``engine.depth``) stay the same after the purge; those that need each person's days
    (first use, cohorts, last activity) no longer see them.
    """
    from phare.usage import engine  # the metrics' one definition folds the months

    limit = _month_key(_month_start(before))
    place = location()
    with _locked(place):
        manifest, seen = _read_manifest(place)
        due = sorted({month for partitions in manifest["events"].values()
                      for month in partitions if month < limit})
        if not due:
            return 0
        figures = engine.connect().fold([_parse_month(month) for month in due])
        removed = 0
        with _swapping(place, manifest, seen) as swap:
            for month in due:
                rows = figures[figures["month"] == _parse_month(month)]
                table = pa.Table.from_pandas(rows[AGGREGATES.names].reset_index(drop=True),
                                             schema=AGGREGATES, preserve_index=False)
                relative = f"aggregates/month={month}/{_generation(manifest)}.parquet"
                swap.written.append(relative)
                _write(place, table, relative)
                manifest["aggregates"][month] = relative
                summary = manifest.get("person_months", {}).pop(month, None)
                if summary:
                    swap.replaced.append(summary)
                for source in list(manifest["events"]):
                    partition = manifest["events"][source].pop(month, None)
                    if partition:
                        swap.replaced.append(partition)
                        removed += 1
                    if not manifest["events"][source]:
                        manifest["events"].pop(source)
    return removed


def events_of(person: str) -> list[dict[str, Any]]:
    """The raw events stored under this person's pseudonym, each with its ``source``, without
    the pseudonym (a person's archive; months folded by :func:`purge` hold no one)."""
    place = location()
    found: list[dict[str, Any]] = []
    for source, partitions in sorted(_manifest(place)["events"].items()):
        for _month, relative in sorted(partitions.items()):
            table = objectstore.read_table(place, relative, EVENTS,
                                           filters=[("person", "=", person)])
            found.extend({"source": source, **row}
                         for row in table.drop_columns(["person"]).to_pylist())
    return found


def rekey(person: str, replacement: str) -> int:
    """Store the events of the pseudonym ``person`` under ``replacement`` instead (an
    erasure: the events still count, but lead to no one); the number of events re-keyed.
    Every partition holding the person is rewritten under a new name and made current by one
    manifest swap, as :func:`merge` does."""
    place = location()
    if not objectstore.exists(place):
        return 0
    changed = 0
    with _locked(place):
        manifest, seen = _read_manifest(place)
        written: dict[str, pa.Table] = {}
        months: set[str] = set()
        with _swapping(place, manifest, seen) as swap:
            for source, partitions in manifest["events"].items():
                for month, relative in list(partitions.items()):
                    table = objectstore.read_table(place, relative, EVENTS)
                    mine = pc.equal(table["person"], person)
                    count = int(pc.sum(mine).as_py() or 0)
                    if not count:
                        continue
                    people = pc.if_else(mine, replacement, table["person"])
                    table = _sorted(table.set_column(table.schema.get_field_index("person"),
                                                     "person", people))
                    new = (f"events/source={source}/month={month}/"
                           f"{_generation(manifest)}.parquet")
                    swap.written.append(new)
                    _write(place, table, new)
                    swap.replaced.append(relative)
                    partitions[month] = new
                    written[new] = table
                    months.add(month)
                    changed += count
            # The person-months held the pseudonym too: counted again under the new one.
            _summarise(place, manifest, months, swap, written)
    return changed


def clear() -> None:
    """Remove every file of the store (tests and the demo)."""
    place = location()
    if not objectstore.exists(place):
        return
    with _locked(place):
        objectstore.clear(place)
