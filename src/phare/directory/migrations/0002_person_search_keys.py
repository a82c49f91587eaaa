"""The people search's keys and indexes (see phare/directory/search.py for how they are read).

Both databases: ``name_key`` and ``email_key``, the names and the address as ``fold()`` writes
them, generated columns the database computes on every write (filled here for every existing
person); an index in the directory's order, and one on the upper-cased employee id.

PostgreSQL: trigram indexes (``pg_trgm``, GIN) on the two keys, which ``LIKE '%word%'`` uses.
The extension is created when missing; a database user who may not create it gets an error that
says who can, and what to run.

SQLite: an FTS5 table with the trigram tokenizer for each key (external content: it holds only
the index, read from ``directory_person``), kept by triggers, then filled from the people
already there. Hand-written: makemigrations knows nothing of these, and Django's flush leaves
them alone (the triggers empty the index as the people are deleted).
"""

import django.db.models.functions.text
from django.db import DatabaseError, migrations, models

import phare.directory.search

POSTGRES_INDEXES = [
    "CREATE INDEX directory_person_name_trgm ON directory_person USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX directory_person_email_trgm ON directory_person "
    "USING gin (email_key gin_trgm_ops)",
]

def _sqlite_index(table: str, key: str, columns: str) -> list[str]:
    """An FTS5 trigram index of one key: the table (external content: it holds only the index,
    read from ``directory_person``), its triggers, its filling. What went in is what the
    'delete' command is given; an update of columns other than ``columns`` leaves it alone."""
    forget = (f"INSERT INTO {table} ({table}, rowid, {key}) VALUES ('delete', old.id, old.{key})")
    learn = f"INSERT INTO {table} (rowid, {key}) VALUES (new.id, new.{key})"
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({key}, content = 'directory_person', "
        "content_rowid = 'id', tokenize = 'trigram case_sensitive 1')",
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON directory_person BEGIN {learn}; END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON directory_person BEGIN {forget}; END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {columns} ON directory_person "
        f"BEGIN {forget}; {learn}; END",
        f"INSERT INTO {table} ({table}) VALUES ('rebuild')",
    ]


#: One index per key: a picker's word (names only) never reads the addresses' entries.
SQLITE_FORWARDS = [
    *_sqlite_index("directory_person_names", "name_key", "first_name, last_name"),
    *_sqlite_index("directory_person_emails", "email_key", "email"),
]

SQLITE_BACKWARDS = [
    f"DROP {kind} IF EXISTS {table}{suffix}"
    for table in ("directory_person_names", "directory_person_emails")
    for kind, suffix in (("TRIGGER", "_update"), ("TRIGGER", "_delete"), ("TRIGGER", "_insert"),
                         ("TABLE", ""))
]

POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS directory_person_email_trgm",
    "DROP INDEX IF EXISTS directory_person_name_trgm",
]


def _trigram_extension(schema_editor) -> None:
    """``pg_trgm``, created if missing, or an error that says what to ask for."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return
        cursor.execute("SELECT current_database(), current_user")
        database, user = cursor.fetchone()
    try:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        raise RuntimeError(
            f"The directory's search needs PostgreSQL's pg_trgm extension, and the database "
            f"user {user!r} may not create it in database {database!r} ({error}). Ask the "
            f"database's owner or a superuser to run  CREATE EXTENSION pg_trgm;  in "
            f"{database!r} (it is in PostgreSQL's contrib package, postgresql-contrib on "
            f"some systems), then run  phare migrate  again.") from error


def forwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _trigram_extension(schema_editor)
        statements = POSTGRES_INDEXES
    elif vendor == "sqlite":
        statements = SQLITE_FORWARDS
    else:  # Phare runs on these two; the search says so on any other (search.Folded)
        statements = []
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor) -> None:
    statements = {"postgresql": POSTGRES_BACKWARDS, "sqlite": SQLITE_BACKWARDS}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="email_key",
            field=models.GeneratedField(
                db_persist=True, expression=phare.directory.search.Folded("email"),
                output_field=models.TextField()),
        ),
        migrations.AddField(
            model_name="person",
            name="name_key",
            field=models.GeneratedField(
                db_persist=True,
                expression=phare.directory.search.Folded(django.db.models.functions.text.Concat(
                    "first_name", models.Value(" "), "last_name")),
                output_field=models.TextField()),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["last_name", "first_name", "employee_id"],
                               name="directory_person_by_name"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(django.db.models.functions.text.Upper("employee_id"),
                               name="directory_person_id_upper"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
