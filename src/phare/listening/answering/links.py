"""Whether a survey takes answers, and with which version and wave an open link collects
them; the languages a respondent may answer in."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from phare.listening.models import Survey, SurveyVersion, Wave

#: The languages a respondent may answer in.
LANGUAGES = ("fr", "en")

OPEN, CLOSED, NOT_OPEN = "open", "closed", "not_open"


def availability(survey: Survey, wave: Wave | None = None) -> str:
    """``open``, ``closed`` (it was, and is no more) or ``not_open`` (not yet)."""
    if survey.status == Survey.Status.CLOSED or (wave is not None
                                                 and wave.status == Wave.Status.CLOSED):
        return CLOSED
    if survey.status != Survey.Status.OPEN or (wave is not None
                                               and wave.status != Wave.Status.OPEN):
        return NOT_OPEN
    return OPEN


def open_link_target(survey: Survey) -> tuple[SurveyVersion, Wave | None]:
    """The version an open link collects with, and its wave when exactly one wave is open."""
    waves = list(survey.waves.filter(status=Wave.Status.OPEN).select_related("version")[:2])
    if len(waves) == 1:
        return waves[0].version, waves[0]
    return survey.current_version(), None


@dataclass(frozen=True)
class OpenLink:
    """What a submission through an open link needs: the survey, and the version (and wave)
    it collects with, as :func:`open_link_target` says."""

    survey: Survey
    version: SurveyVersion
    wave: Wave | None


def open_link(open_token: str) -> OpenLink | None:
    """:func:`open_link_target` with the survey, from the link's token, in one statement: the
    survey, its newest version and, when exactly one of its waves is open, that wave with its
    version. Each submission through an open link reads it, so it is plain SQL made once per
    process: building and compiling the same query with the ORM cost 1.5–2.2 ms of CPU at every
    request, more than the insert, against 0.23 ms now (bench/README.md, "CPU per request")."""
    statement, parts = _open_link_statement(connection)
    open_ = Wave.Status.OPEN.value
    params: list[Any] = [open_, open_, open_token, True]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _execute_prepared(cursor, statement, params)
        else:  # SQLite's module keeps its statements compiled (its statement cache)
            cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        return None
    survey, newest, wave, wave_version = (part.load(row, connection) for part in parts)
    assert isinstance(survey, Survey) and isinstance(newest, SurveyVersion)
    newest.survey = survey
    if wave is None:
        return OpenLink(survey=survey, version=newest, wave=None)
    assert isinstance(wave, Wave) and isinstance(wave_version, SurveyVersion)
    wave_version.survey = wave.survey = survey
    wave.version = wave_version
    return OpenLink(survey=survey, version=wave_version, wave=wave)


#: The name of the open link's statement, prepared in each PostgreSQL session that reads it.
PREPARED_NAME = "phare_open_link"
#: The psycopg connections (one per database session) where it is prepared: a new session —
#: a new connection after CONN_MAX_AGE, a restarted server — prepares it again. A prepared
#: statement outlives the transaction that made it, rolled back or not.
_PREPARED: weakref.WeakSet[Any] = weakref.WeakSet()
#: Sessions where a statement failed around it: PREPARE may have succeeded where the EXECUTE
#: sent with it failed (the name is then taken), or the statement may have been dropped since
#: (DEALLOCATE). The next read there asks PostgreSQL first.
_UNSURE: weakref.WeakSet[Any] = weakref.WeakSet()


def _execute_prepared(cursor: Any, statement: str, params: list[Any]) -> None:
    """The open link's statement, prepared once per PostgreSQL session: PostgreSQL then plans
    its four joins once, instead of at every submission — 0.7 ms of the database's CPU per
    submission, two thirds of all it spent (bench/README.md, 2026-12-08). The first call of a
    session prepares and executes in one round trip (one query for Django's accounting)."""
    execute = f"EXECUTE {PREPARED_NAME} ({', '.join(['%s'] * len(params))})"
    session = connection.connection
    if session in _UNSURE:
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [PREPARED_NAME])
        if cursor.fetchone() is None:
            _PREPARED.discard(session)
        else:
            _PREPARED.add(session)
        _UNSURE.discard(session)
    try:
        if session in _PREPARED:
            cursor.execute(execute, params)
            return
        numbered = statement.split("%s")
        prepare = numbered[0] + "".join(f"${n}{rest}" for n, rest in enumerate(numbered[1:], 1))
        cursor.execute(f"PREPARE {PREPARED_NAME} AS {prepare}; {execute}", params)
    except Exception:
        _UNSURE.add(session)
        raise
    cursor.nextset()  # from PREPARE's status to EXECUTE's rows
    _PREPARED.add(session)


@dataclass(frozen=True)
class _Part:
    """One model's row among a statement's columns: its concrete fields from ``start``, read
    back with the converters the ORM would apply (dates on SQLite, JSON, booleans)."""

    model: type[Model]
    alias: str
    start: int
    converters: tuple[tuple[Any, tuple[Any, ...]], ...]

    @classmethod
    def of(cls, model: type[Model], alias: str, start: int, db: BaseDatabaseWrapper) -> _Part:
        converters = []
        for field in model._meta.concrete_fields:
            column = field.get_col(alias)
            converters.append((column, tuple(db.ops.get_db_converters(column)
                                             + column.get_db_converters(db))))
        return cls(model=model, alias=alias, start=start, converters=tuple(converters))

    def columns(self, db: BaseDatabaseWrapper) -> list[str]:
        return [f"{self.alias}.{db.ops.quote_name(column.target.column)}"
                for column, _ in self.converters]

    def load(self, row: Sequence[Any], db: BaseDatabaseWrapper) -> Model | None:
        """The model read from ``row``; None when its primary key is null (no such row)."""
        values = []
        for value, (column, converters) in zip(row[self.start:], self.converters, strict=False):
            for convert in converters:
                value = convert(value, column, db)
            values.append(value)
        fields = self.model._meta.concrete_fields
        if values[fields.index(self.model._meta.pk)] is None:
            return None
        return self.model.from_db(db.alias, [field.attname for field in fields], values)


#: The statement and its parts, per database connection alias: made once per process.
_STATEMENTS: dict[str, tuple[str, tuple[_Part, ...]]] = {}


def _open_link_statement(db: BaseDatabaseWrapper) -> tuple[str, tuple[_Part, ...]]:
    made = _STATEMENTS.get(db.alias)
    if made is not None:
        return made
    parts: list[_Part] = []
    start = 0
    for model, alias in ((Survey, "s"), (SurveyVersion, "v"), (Wave, "w"), (SurveyVersion, "wv")):
        parts.append(_Part.of(model, alias, start, db))
        start += len(parts[-1].converters)

    def q(model: type[Model], name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column is not None
        return db.ops.quote_name(field.column)

    survey, version, wave = (db.ops.quote_name(m._meta.db_table)
                             for m in (Survey, SurveyVersion, Wave))
    statement = (
        f"SELECT {', '.join(c for part in parts for c in part.columns(db))} "
        f"FROM {survey} s JOIN {version} v ON v.{q(SurveyVersion, 'survey')} = "
        f"s.{q(Survey, 'id')} "
        # The wave open alone: none when no wave, or more than one, is open.
        f"LEFT JOIN {wave} w ON w.{q(Wave, 'survey')} = s.{q(Survey, 'id')} "
        f"AND w.{q(Wave, 'status')} = %s AND NOT EXISTS (SELECT 1 FROM {wave} o "
        f"WHERE o.{q(Wave, 'survey')} = s.{q(Survey, 'id')} AND o.{q(Wave, 'status')} = %s "
        f"AND o.{q(Wave, 'id')} <> w.{q(Wave, 'id')}) "
        f"LEFT JOIN {version} wv ON wv.{q(SurveyVersion, 'id')} = w.{q(Wave, 'version')} "
        f"WHERE s.{q(Survey, 'open_token')} = %s AND s.{q(Survey, 'open_link')} = %s "
        f"ORDER BY v.{q(SurveyVersion, 'number')} DESC LIMIT 1")
    _STATEMENTS[db.alias] = statement, tuple(parts)
    return _STATEMENTS[db.alias]
