"""The catalogue's full-text index (see phare/catalog/search.py for how it is filled and read).

SQLite: an FTS5 table whose rowid is the service id, one column per weight.
PostgreSQL: a table with a weighted tsvector and a GIN index.

A trigger removes a service's row when the service is deleted. A foreign key with ON DELETE
CASCADE would do it too on PostgreSQL, but would make Django's flush between transactional tests
(TRUNCATE catalog_service) fail; a TRUNCATE trigger empties the index then instead. FTS5 tables
cannot have foreign keys at all.

Hand-written: makemigrations knows nothing of these tables, and Django's flush leaves them alone.
Fill the index with ``phare.catalog.search.reindex_all()`` (services that existed before this
migration are not indexed by it).
"""

from django.db import migrations

FORWARDS = {
    "sqlite": [
        "CREATE VIRTUAL TABLE catalog_search USING fts5("
        "name, promise, keywords, body, tokenize = 'unicode61 remove_diacritics 2')",
        "CREATE TRIGGER catalog_search_forget AFTER DELETE ON catalog_service "
        "BEGIN DELETE FROM catalog_search WHERE rowid = old.id; END",
    ],
    "postgresql": [
        "CREATE TABLE catalog_search ("
        "service_id bigint PRIMARY KEY, document tsvector NOT NULL)",
        "CREATE INDEX catalog_search_document ON catalog_search USING gin (document)",
        "CREATE FUNCTION catalog_search_forget() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN DELETE FROM catalog_search WHERE service_id = OLD.id; RETURN NULL; END $$",
        "CREATE TRIGGER catalog_search_forget AFTER DELETE ON catalog_service "
        "FOR EACH ROW EXECUTE FUNCTION catalog_search_forget()",
        "CREATE FUNCTION catalog_search_clear() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN TRUNCATE catalog_search; RETURN NULL; END $$",
        "CREATE TRIGGER catalog_search_clear AFTER TRUNCATE ON catalog_service "
        "FOR EACH STATEMENT EXECUTE FUNCTION catalog_search_clear()",
    ],
}

BACKWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS catalog_search_forget",
        "DROP TABLE IF EXISTS catalog_search",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS catalog_search_clear ON catalog_service",
        "DROP TRIGGER IF EXISTS catalog_search_forget ON catalog_service",
        "DROP FUNCTION IF EXISTS catalog_search_clear()",
        "DROP FUNCTION IF EXISTS catalog_search_forget()",
        "DROP TABLE IF EXISTS catalog_search",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        # Other databases get no index; phare.catalog.search says so when used.
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARDS), _run(BACKWARDS), elidable=False),
    ]
