"""The analytical store: each survey's answers as Parquet files, queried with DuckDB.

This module alone imports DuckDB. Pages never load response rows into Python: they ask
:func:`query` for aggregates, computed by DuckDB over Parquet files kept under
``PHARE_HOME/analytics/<survey id>/``.

The store holds **released answers only** (:func:`phare.listening.queries.released`): those
of closed waves, and for surveys collected continuously those of months that are over — so
no dashboard can show a figure that changes with one person's answer between two reads.

Files are written per *partition*: a wave (``w3``) for surveys collected in waves, a month
(``m2026-05``) otherwise. Each partition has a fingerprint — its number of responses and the sum
of their revisions (raised when ticket follow-ups amend an answer) — so :func:`refresh` rewrites
only the partitions that changed. Writes go to temporary files renamed into place, and the
manifest is replaced last, under a file lock: a reader never sees half a partition.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from phare.insights import facts as F
from phare.lib.locks import folder_lock
from phare.lib.pseudonyms import pseudonym
from phare.listening.models import Question, Response, Survey
from phare.listening.queries import released

#: DuckDB types of each table's columns (in the column order of :mod:`phare.insights.facts`).
_SEG = {"wave": "INTEGER", "day": "DATE", "unit": "VARCHAR", "site": "VARCHAR",
        "job_family": "VARCHAR"}
SCHEMAS: dict[str, dict[str, str]] = {
    "responses": {"response": "VARCHAR", "wave": "INTEGER", "version": "INTEGER", "day": "DATE",
                  "month": "DATE", "unit": "VARCHAR", "site": "VARCHAR",
                  "job_family": "VARCHAR", "channel": "VARCHAR", "language": "VARCHAR",
                  "score": "DOUBLE"},
    "scores": {"response": "VARCHAR", **_SEG, "question": "VARCHAR", "item": "VARCHAR",
               "dimension": "VARCHAR", "value": "DOUBLE"},
    "choices": {"response": "VARCHAR", **_SEG, "score": "DOUBLE", "question": "VARCHAR",
                "option": "VARCHAR"},
    "texts": {"response": "VARCHAR", **_SEG, "language": "VARCHAR", "score": "DOUBLE",
              "question": "VARCHAR", "text": "VARCHAR"},
    "tickets": {"response": "VARCHAR", "day": "DATE", "month": "DATE", "unit": "VARCHAR",
                "site": "VARCHAR", "job_family": "VARCHAR", "ticket": "VARCHAR",
                "service": "VARCHAR", "category": "VARCHAR", "channel": "VARCHAR",
                "assignment_group": "VARCHAR", "reassignments": "INTEGER",
                "opened_at": "TIMESTAMPTZ", "resolved_at": "TIMESTAMPTZ",
                "resolution_hours": "DOUBLE", "rating": "DOUBLE", "lost_time": "VARCHAR",
                "lost_hours": "DOUBLE", "person": "VARCHAR"},
}
#: Raised when the tables' columns change: every survey's files are then rebuilt.
SCHEMA_VERSION = 3
TABLES = tuple(SCHEMAS)
_CHUNK = 20_000


def root() -> Path:
    return Path(settings.PHARE_ANALYTICS_DIR)


def survey_dir(survey_id: int) -> Path:
    return root() / str(survey_id)


def _partition_key(wave: int | None, month: Any) -> str:
    if wave is not None:
        return f"w{wave}"
    return f"m{month:%Y-%m}" if month is not None else "m-none"


def fingerprints(survey: Survey) -> dict[str, list[int]]:
    """Per partition, [responses, sum of revisions], from one aggregate query; only released
    answers (closed waves, months that are over) are ever in the store."""
    rows = (released(Response.objects.filter(survey=survey))
            .annotate(month=TruncMonth("submitted_on"))
            .values("wave__number", "month")
            .annotate(n=Count("id"), revisions=Sum("revision")))
    out: dict[str, list[int]] = {}
    for row in rows:
        key = _partition_key(row["wave__number"], row["month"])
        count, revisions = out.get(key, [0, 0])
        out[key] = [count + row["n"], revisions + (row["revisions"] or 0)]
    return out


def _identity(survey: Survey) -> str:
    # A database reset may give a new survey an old one's id: its files must not be reused.
    return f"{survey.pk}:{survey.slug}:{survey.created_at.isoformat()}:v{SCHEMA_VERSION}"


def _read_manifest(folder: Path, survey: Survey) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (FileNotFoundError, ValueError):
        manifest = None
    if manifest is None or manifest.get("survey") != _identity(survey):
        return {"survey": _identity(survey), "partitions": {}, "checked": 0}
    return manifest


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    tmp = folder / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, sort_keys=True))
    os.replace(tmp, folder / "manifest.json")


def mark_checked(survey: Survey, partitions: dict[str, list[int]]) -> None:
    """Record the store as checked now with these partitions (for tools that write the
    Parquet files themselves, such as the analytics benchmark)."""
    folder = survey_dir(survey.pk)
    with folder_lock(folder):
        _write_manifest(folder, {"survey": _identity(survey), "partitions": partitions,
                                 "checked": time.time()})


def refresh(survey: Survey, *, max_age: float = 0.0) -> dict[str, int]:
    """Bring the survey's files up to date; returns how many partitions were rebuilt/removed.

    With ``max_age`` (seconds), a store checked more recently than that is trusted as is: pages
    pass a small value so that a burst of requests checks the database once.
    """
    folder = survey_dir(survey.pk)
    manifest = _read_manifest(folder, survey)
    if max_age and time.time() - manifest.get("checked", 0) < max_age:
        return {"rebuilt": 0, "removed": 0}
    with folder_lock(folder):
        manifest = _read_manifest(folder, survey)
        if not manifest["partitions"]:
            for stale_file in folder.glob("*.parquet"):
                stale_file.unlink()
        current = fingerprints(survey)
        known: dict[str, list[int]] = manifest["partitions"]
        stale = [key for key, print_ in current.items() if known.get(key) != print_]
        gone = [key for key in known if key not in current]
        for key in stale:
            _build_partition(survey, folder, key)
            known[key] = current[key]
        for key in gone:
            for table in TABLES:
                (folder / f"{table}-{key}.parquet").unlink(missing_ok=True)
            known.pop(key)
        manifest["checked"] = time.time()
        _write_manifest(folder, manifest)
    return {"rebuilt": len(stale), "removed": len(gone)}


def _question_types(survey: Survey) -> dict[int, tuple[int, dict[str, F.QuestionInfo]]]:
    out: dict[int, tuple[int, dict[str, F.QuestionInfo]]] = {}
    rows = (Question.objects.filter(version__survey=survey)
            .order_by("version_id", "section__position", "position", "id")
            .values_list("version_id", "version__number", "code", "type"))
    for version_id, number, code, kind in rows:
        _number, types = out.setdefault(version_id, (number, {}))
        headline = kind == "nps" and not any(i.headline for i in types.values())
        types[code] = F.QuestionInfo(type=kind, headline=headline)
    return out


def _partition_rows(survey: Survey, key: str):
    qs = released(Response.objects.filter(survey=survey))
    if key.startswith("w"):
        qs = qs.filter(wave__number=int(key[1:]))
    elif key == "m-none":
        qs = qs.none()
    else:
        year, month = map(int, key[1:].split("-"))
        qs = qs.filter(wave__isnull=True, submitted_on__year=year, submitted_on__month=month)
    fields = ["id", "wave__number", "version_id", "submitted_on", "unit_code", "site_code",
              "job_family_code", "channel", "language", "answers"]
    if survey.kind == Survey.Kind.TRANSACTIONAL:
        # A ticket's answer is its invitation's response (the ticket holds the link).
        fields += [f"invitation__ticket__{name}" for name in (
            "external_id", "service__slug", "category", "channel", "assignment_group",
            "reassignment_count", "opened_at", "resolved_at")]
        fields += ["respondent_id", "invitation__ticket__requester_id"]
    return qs.values_list(*fields).iterator(chunk_size=_CHUNK)


def _person_key(person_id: int | None) -> str | None:
    """Who answered, as a keyed hash (to count people, never to name them)."""
    return None if person_id is None else pseudonym("person", person_id)


def _build_partition(survey: Survey, folder: Path, key: str) -> None:
    types = _question_types(survey)
    facts = F.Facts()
    for row in _partition_rows(survey, key):
        number, version_types = types.get(row[2], (0, {}))
        ticket = None
        if len(row) > 10 and row[10] is not None:
            ticket = {"external_id": row[10], "service": row[11], "category": row[12],
                      "channel": row[13], "assignment_group": row[14],
                      "reassignment_count": row[15], "opened_at": row[16],
                      "resolved_at": row[17], "person": _person_key(row[18] or row[19])}
        F.add_response(facts, response=str(row[0]), wave=row[1], version=number, day=row[3],
                       unit=row[4], site=row[5], job_family=row[6], channel=row[7],
                       language=row[8], types=version_types, answers=row[9] or {},
                       ticket=ticket)
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        for table in TABLES:
            rows = getattr(facts, table)
            target = folder / f"{table}-{key}.parquet"
            if not rows:
                target.unlink(missing_ok=True)
                continue
            frame = pd.DataFrame.from_records(rows, columns=list(SCHEMAS[table]))
            con.register("frame", frame)
            select = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"'
                               for name, kind in SCHEMAS[table].items())
            tmp = folder / f".{table}-{key}.parquet.tmp"
            con.execute(f"COPY (SELECT {select} FROM frame) TO '{tmp}' (FORMAT parquet)")
            con.unregister("frame")
            os.replace(tmp, target)
    finally:
        con.close()


#: The process's one DuckDB database (a gunicorn worker's), opened on first use. Each survey set
#: read has a schema of its own holding the views over its files; every query runs on a cursor of
#: its own (DuckDB connections may not be shared between threads, their cursors may).
_database: duckdb.DuckDBPyConnection | None = None
_database_pid = 0
#: Per survey set (the store's folder and the surveys' ids, in the order given): its schema and
#: the fingerprint of the manifests its views were declared from.
_declared: dict[tuple[str, tuple[int, ...]], tuple[str, str]] = {}
_declaring = threading.Lock()


@dataclass(frozen=True)
class _Kept:
    """A table :func:`keep` made: the survey set whose views it was read from, how, and its
    size."""

    key: tuple[str, tuple[int, ...]]
    schema: str
    sql: str
    params: tuple[Any, ...]
    rows: int


#: The tables kept in the process's database (:func:`keep`), least recently asked for first;
#: guarded by ``_declaring``. At most ``_KEPT_TABLES`` of them and ``_KEPT_ROWS`` rows in all
#: (a few of a page's intermediates, not copies of the store).
_kept: dict[str, _Kept] = {}
_KEPT_TABLES = 32
_KEPT_ROWS = 2_000_000
#: How each table kept lately was made, dropped or not (names are never reused for other
#: rows): a query that finds its table dropped since makes it again (:func:`_run`).
_made: dict[str, _Kept] = {}
_MADE_KEPT = 256
#: One table made at a time: two requests asking for the same one make it once.
_keeping = threading.Lock()


def _set_key(surveys: Sequence[Survey]) -> tuple[str, tuple[int, ...]]:
    return str(root()), tuple(int(survey.pk) for survey in surveys)


def _schema(key: tuple[str, tuple[int, ...]]) -> str:
    return "surveys_" + hashlib.sha256(repr(key).encode()).hexdigest()[:16]


def _views(schema: str, surveys: Sequence[Survey]) -> list[str]:
    """The statements declaring, in ``schema``, one view per table over the surveys' files
    (plus a ``survey`` column)."""
    out = [f"CREATE SCHEMA IF NOT EXISTS {schema}"]
    for table, columns in SCHEMAS.items():
        parts = []
        for survey in surveys:
            files = sorted(str(p) for p in survey_dir(survey.pk).glob(f"{table}-*.parquet"))
            if files:
                listed = ", ".join(f"'{name}'" for name in files)
                parts.append(f"SELECT {int(survey.pk)} AS survey, * FROM read_parquet([{listed}])")
        if not parts:
            nulls = ", ".join(f'CAST(NULL AS {kind}) AS "{name}"' for name, kind in
                              columns.items())
            parts.append(f"SELECT CAST(NULL AS INTEGER) AS survey, {nulls} WHERE false")
        out.append(f"CREATE OR REPLACE VIEW {schema}.{table} AS " + " UNION ALL ".join(parts))
    return out


def _cursor(surveys: Sequence[Survey], *, redeclare: bool = False) -> duckdb.DuckDBPyConnection:
    """A cursor of the process's database reading the surveys' views, declared again only when
    their manifests changed since (a partition rebuilt or removed, the files dropped)."""
    global _database, _database_pid
    key = _set_key(surveys)
    current = fingerprint(surveys)
    with _declaring:
        if _database is None or _database_pid != os.getpid():
            # A worker forked from a process that had opened one opens its own.
            _database, _database_pid = duckdb.connect(), os.getpid()
            _database.execute("SET threads TO 2")
            _declared.clear()
            _kept.clear()
        known = _declared.get(key)
        schema = _schema(key)
        if redeclare or known is None or known[1] != current:
            for statement in _views(schema, surveys):
                _database.execute(statement)
            _declared[key] = (schema, current)
            # What was kept from the views before holds the store as it was.
            for name in [name for name, kept in _kept.items() if kept.key == key]:
                _database.execute(f"DROP TABLE IF EXISTS {schema}.{name}")
                del _kept[name]
        cursor = _database.cursor()
    cursor.execute(f"USE {schema}")
    return cursor


def _up_to_date(surveys: Sequence[Survey], max_age: float | None) -> None:
    if max_age is None:
        max_age = settings.PHARE_ANALYTICS_MAX_AGE
    if settings.TASK_BACKEND == "immediate":
        # No worker to do it (tests, tiny installs): the reader brings the store up to date.
        # With a worker, pages ask it (phare.insights.freshness) and read what is there.
        for survey in surveys:
            refresh(survey, max_age=max_age)


def _run(surveys: Sequence[Survey], sql: str, params: Sequence[Any] | None) -> pd.DataFrame:
    cursor = _cursor(surveys)
    try:
        try:
            return cursor.execute(sql, list(params or [])).df()
        except duckdb.IOException:
            # A partition removed by another process after this one declared its views (and
            # before the manifest said so): declare them again from the files there now.
            cursor.close()
            cursor = _cursor(surveys, redeclare=True)
            _remake(surveys, sql)
            return cursor.execute(sql, list(params or [])).df()
        except duckdb.CatalogException:
            # A table kept (:func:`keep`) dropped since it was asked for — too many kept
            # after it, or the store changed: made again from the views, as it was asked.
            if not _remake(surveys, sql):
                raise
            return cursor.execute(sql, list(params or [])).df()
    finally:
        cursor.close()


def keep(surveys: Sequence[Survey], sql: str, params: Sequence[Any] | None = None, *,
         max_age: float | None = None) -> str:
    """The name of a table holding ``sql``'s rows (over the surveys' views), made once in the
    process's database and kept while their store does not change: the queries of a page that
    read the same rows many ways (:func:`query`, :func:`query_many` over these surveys) read
    them from memory instead of the Parquet files.

    The name is made of the surveys, their store's fingerprint and the statement, so a table
    is never read for other rows than its statement's: once the store changes, a new table
    is made, and the old one dropped when the views are declared again. Tables asked for
    least recently are dropped beyond a few (``_KEPT_TABLES``, ``_KEPT_ROWS``); a query that
    finds its table dropped makes it again."""
    _up_to_date(surveys, max_age)
    key = _set_key(surveys)
    values = tuple(params or [])
    name = "kept_" + hashlib.sha256(
        repr((key, fingerprint(surveys), sql, values)).encode()).hexdigest()[:24]
    with _declaring:
        if name in _kept:
            _kept[name] = _kept.pop(name)  # asked for again: the most recent
            return name
    with _keeping:
        _make(surveys, name, sql, values)
    return name


def _make(surveys: Sequence[Survey], name: str, sql: str, params: tuple[Any, ...]) -> None:
    """Make the table ``name`` (unless another request just has), then drop the tables asked
    for least recently beyond the limits."""
    key = _set_key(surveys)
    with _declaring:
        if name in _kept:
            return
    cursor = _cursor(surveys)
    try:
        schema = _schema(key)
        cursor.execute(f"CREATE OR REPLACE TABLE {schema}.{name} AS {sql}", list(params))
        found = cursor.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()
    finally:
        cursor.close()
    kept = _Kept(key=key, schema=schema, sql=sql, params=params, rows=int(found[0]) if found
                 else 0)
    with _declaring:
        _kept[name] = _made[name] = kept
        while len(_made) > _MADE_KEPT:
            _made.pop(next(iter(_made)))
        while len(_kept) > 1 and (len(_kept) > _KEPT_TABLES
                                  or sum(k.rows for k in _kept.values()) > _KEPT_ROWS):
            oldest = next(iter(_kept))
            if _database is not None and _database_pid == os.getpid():
                _database.execute(f"DROP TABLE IF EXISTS {_kept[oldest].schema}.{oldest}")
            del _kept[oldest]


def _remake(surveys: Sequence[Survey], sql: str) -> bool:
    """Make again the tables kept for these surveys that ``sql`` reads and that were dropped;
    whether there were any."""
    key = _set_key(surveys)
    with _declaring:
        missing = {name: made for name, made in _made.items()
                   if made.key == key and name not in _kept and name in sql}
    with _keeping:
        for name, made in missing.items():
            _make(surveys, name, made.sql, made.params)
    return bool(missing)


def query(surveys: Sequence[Survey], sql: str, params: Sequence[Any] | None = None, *,
          max_age: float | None = None) -> pd.DataFrame:
    """Run ``sql`` (over the views ``responses``, ``scores``, ``choices``, ``texts``,
    ``tickets``) for these surveys, after bringing their files up to date (a store checked
    less than ``max_age`` seconds ago, default ``PHARE_ANALYTICS_MAX_AGE``, is trusted)."""
    _up_to_date(surveys, max_age)
    return _run(surveys, sql, params)


#: Threads that run a page's independent queries side by side (DuckDB releases the GIL while
#: it works; each query has its own cursor), one pool per process as for the database.
_pool: ThreadPoolExecutor | None = None
_pool_pid = 0


def _threads() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _declaring:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="phare-duckdb")
            _pool_pid = os.getpid()
        return _pool


def query_many(surveys: Sequence[Survey],
               statements: Mapping[str, tuple[str, Sequence[Any] | None]], *,
               max_age: float | None = None) -> dict[str, pd.DataFrame]:
    """Several independent queries over the same surveys, run at the same time: ``{name:
    (sql, params)}`` → ``{name: frame}``. The store is brought up to date once, first, in the
    caller's thread (the threads touch DuckDB only, never the database)."""
    _up_to_date(surveys, max_age)
    pool = _threads()
    futures = {name: pool.submit(_run, surveys, sql, params)
               for name, (sql, params) in statements.items()}
    return {name: future.result() for name, future in futures.items()}


def drop(survey_id: int) -> None:
    """Forget a survey's files (the survey was deleted), and this process's views over them."""
    shutil.rmtree(survey_dir(survey_id), ignore_errors=True)
    with _declaring:
        for key in [key for key in _declared if survey_id in key[1]]:
            schema, _print = _declared.pop(key)
            if _database is not None and _database_pid == os.getpid():
                _database.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        for name in [name for name, kept in _kept.items() if survey_id in kept.key[1]]:
            del _kept[name]  # in a schema dropped


def _manifest_if_any(survey: Survey) -> dict[str, Any] | None:
    manifest = _read_manifest(survey_dir(survey.pk), survey)
    return manifest if manifest.get("checked") else None


def checked_at(survey: Survey) -> float | None:
    """When the survey's store was last brought up to date (a Unix time), or None when it was
    never built (or was built for another survey that had this id)."""
    manifest = _manifest_if_any(survey)
    return None if manifest is None else float(manifest["checked"])


def fingerprint(surveys: Sequence[Survey]) -> str:
    """A short hash of what the surveys' stores hold — their identity and each partition's
    fingerprint — that changes whenever :func:`refresh` rebuilds or removes a partition. Read
    from the manifests alone (no database, no DuckDB): cache keys are made with it."""
    digest = hashlib.sha256()
    for survey in sorted(surveys, key=lambda s: s.pk):
        manifest = _manifest_if_any(survey)
        partitions = manifest["partitions"] if manifest is not None else None
        digest.update(json.dumps([_identity(survey), partitions], sort_keys=True).encode())
    return digest.hexdigest()[:32]
