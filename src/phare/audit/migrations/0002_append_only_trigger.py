"""On PostgreSQL the database itself keeps the trail append-only: a trigger refuses every
UPDATE and every DELETE of ``audit_entry``, except a DELETE of rows older than the time the
running transaction declared in ``phare.audit_purge_before`` (never later than now) — which only
``phare.audit.services.purge`` declares. TRUNCATE is left alone: it is the database owner's
tool (and Django's test flush), and whoever owns the database can drop a trigger anyway; the
trigger stops the application's own paths and a stray SQL session, not the owner.
SQLite has no such setting; there the model refuses (``Entry.save``/``delete``, the queryset's
``update``/``delete``).
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    purge_before timestamptz := NULLIF(current_setting('phare.audit_purge_before', true), '');
BEGIN
    -- A declared time ahead of the clock opens nothing more than the clock allows.
    IF TG_OP = 'DELETE' AND purge_before IS NOT NULL AND OLD.at < LEAST(purge_before, now()) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % of entry % refused', TG_OP, OLD.id;
END;
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_entry"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
