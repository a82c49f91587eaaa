"""Writing the demo's many rows fast: invitations, tickets and responses by the million.

Django's ``bulk_create`` spends about five times longer turning each value into SQL than the
database spends inserting it; for a benchmark-sized demo (a million responses) that is the
difference between minutes and most of an hour. So the bulk of the listening demo is written
with ``executemany``, values prepared as Django's fields would prepare them, primary keys given
here (and the sequences moved past them afterwards).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Max, Model

#: The fields of the rows the demo writes, in the order of their values.
INVITATION_FIELDS = ("id", "survey", "version", "wave", "person", "email", "language",
                     "token", "unit_code", "site_code", "job_family_code", "created_at",
                     "sent_at", "reminders_sent", "last_reminded_at", "responded_on", "draft")
RESPONSE_FIELDS = ("id", "survey", "version", "wave", "channel", "submission_id", "respondent",
                   "invitation", "language", "unit_code", "site_code",
                   "job_family_code", "submitted_on", "submitted_at", "source_id", "answers")

#: The page cache SQLite may use while the demo writes (KiB). With the default 2 MB, inserting
#: millions of rows into indexes on random keys (invitation tokens, response UUIDs, requesters)
#: keeps re-reading pages: a million responses took 488 s with 256 MiB, 369 s with 1 GiB.
#: The cache only fills as pages are read: the default demo's database is a few tens of MB.
SQLITE_CACHE_KIB = 1024 * 1024


class Table:
    """Rows of one model's table, inserted with ``executemany``.

    Rows hold the values of the fields ``names``, in that order, as the database driver takes
    them (see :class:`Values`); the model's other fields get their default (or NULL), and one
    with neither stops the demo with its name rather than fail in SQL.
    """

    def __init__(self, model: type[Model], names: Sequence[str]) -> None:
        others = [f for f in model._meta.concrete_fields if f.name not in names]
        missing = [f.name for f in others if not f.has_default() and not f.null]
        if missing:
            raise ValueError(f"the listening demo cannot fill {model.__name__}.{missing[0]}: "
                             f"add it to the demo's rows")
        self.rest = tuple(f.get_db_prep_save(f.get_default() if f.has_default() else None,
                                             connection) for f in others)
        # ``names`` are the model's own fields, and a concrete field always has its column:
        # the stubs allow a reverse relation and a column-less field, which these never are.
        fields = [cast("Field[Any, Any]", model._meta.get_field(name)) for name in names]
        columns = [cast(str, f.column) for f in fields + others]
        quote = connection.ops.quote_name
        self.sql = (f"INSERT INTO {quote(model._meta.db_table)} "
                    f"({', '.join(quote(c) for c in columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})")
        self.rows: list[tuple[Any, ...]] = []

    def write(self) -> None:
        if self.rows:
            rest = self.rest
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, [row + rest for row in self.rows] if rest
                                   else self.rows)
            self.rows = []


class Values:
    """Values as Django's fields would prepare them for this database (SQLite or PostgreSQL).

    The demo's times are naive UTC (cheaper to compute with): SQLite stores them as that text,
    PostgreSQL takes them made aware.
    """

    def __init__(self) -> None:
        self.text = connection.vendor == "sqlite"
        self.native_uuid = connection.features.has_native_uuid_field
        self.when: Callable[[dt.datetime], Any] = (
            str if self.text else lambda value: value.replace(tzinfo=dt.UTC))

    def day(self, value: dt.date | None) -> Any:
        return str(value) if self.text and value is not None else value

    def uuid(self, value: uuid.UUID) -> Any:
        return value if self.native_uuid else value.hex

    def json(self, value: Any) -> Any:
        return connection.ops.adapt_json_value(value, None)


def utc(value: dt.datetime) -> dt.datetime:
    """An aware time as the naive UTC time :class:`Values` takes."""
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def last_id(model: type[Model]) -> int:
    return model._default_manager.aggregate(m=Max("pk"))["m"] or 0


def reset_sequences(*models: type[Model]) -> None:
    """Move the id sequences past the ids given here (PostgreSQL; SQLite needs nothing)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


@contextmanager
def large_cache() -> Iterator[None]:
    """On SQLite, a larger page cache while the demo writes (put back afterwards)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")
