"""One new row written with a statement made once per process: for the few writes the
application makes so often that building the ORM's INSERT each time is a cost of its own.

``obj.save(force_insert=True)`` builds a query, compiles it to SQL and prepares each value at
every call: 0.4–0.6 ms of CPU for an open-link answer, about a fifth of what the whole request
costs (bench/README.md, "Answer ingestion over HTTP"). :func:`insert` writes the same row —
each field's value as ``pre_save`` and ``get_db_prep_save`` give it, the ORM's own steps —
through an ``INSERT`` made once per model and database. It only suits models whose primary key
is set before the insert (a UUID default): nothing is read back. It sends no ``pre_save`` or
``post_save`` signal; Phare connects none.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

#: (statement, fields) per (model, database alias), made at the first insert.
_STATEMENTS: dict[tuple[type[Model], str], tuple[str, tuple[Field, ...]]] = {}


def insert(obj: Model) -> None:
    """Write ``obj`` as a new row, as ``obj.save(force_insert=True)`` does.

    Raises :class:`django.db.IntegrityError` when a constraint refuses the row (the
    database's own error, wrapped as the ORM wraps it), ``ValueError`` when the primary key is
    not set.
    """
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    db = connections[alias]
    statement, fields = _statement(model, db)
    if obj.pk is None:
        raise ValueError(f"{model.__name__}: the primary key must be set before insert().")
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection=db)
              for field in fields]
    with db.cursor() as cursor:
        cursor.execute(statement, values)
    obj._state.adding = False
    obj._state.db = alias


def _statement(model: type[Model], db: BaseDatabaseWrapper) -> tuple[str, tuple[Field, ...]]:
    made = _STATEMENTS.get((model, db.alias))
    if made is not None:
        return made
    meta = model._meta
    if meta.proxy or meta.parents or meta.db_returning_fields != []:
        raise ValueError(f"{model.__name__}: insert() takes a plain model whose primary key "
                         "is set before the insert (nothing is read back).")
    fields = tuple(field for field in meta.local_concrete_fields if not field.generated)
    quote = db.ops.quote_name
    columns = [quote(field.column) for field in fields if field.column is not None]
    assert len(columns) == len(fields)  # concrete fields have a column
    statement = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "
                 f"VALUES ({', '.join(['%s'] * len(fields))})")
    _STATEMENTS[(model, db.alias)] = statement, fields
    return statement, fields
