"""The erasure's and the retention's actions, and the one sanctioned change of an entry.

An erasure of a person (``phare.privacy``) replaces their name, address, browser and words in
the entries about them: ``phare.audit.services.pseudonymise`` declares
``phare.audit_pseudonymise`` (local to its transaction) and the trigger then lets an UPDATE
through that keeps what the entry is (its id, time, action, actor id, target type and id):
only who it names and from where can change. Deletes are as before (the retention purge).
"""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    purge_before timestamptz := NULLIF(current_setting('phare.audit_purge_before', true), '');
    pseudonymise text := NULLIF(current_setting('phare.audit_pseudonymise', true), '');
BEGIN
    -- A declared time ahead of the clock opens nothing more than the clock allows.
    IF TG_OP = 'DELETE' AND purge_before IS NOT NULL AND OLD.at < LEAST(purge_before, now()) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND pseudonymise = 'on' AND NEW.id = OLD.id AND NEW.at = OLD.at
       AND NEW.action = OLD.action AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.target_type = OLD.target_type AND NEW.target_id = OLD.target_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % of entry % refused', TG_OP, OLD.id;
END;
$$;
"""
PREVIOUS = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def previous(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
    ]

    operations = [
        migrations.AlterField(
            model_name='entry',
            name='action',
            field=models.CharField(choices=[('signin.success', 'Sign-in'), ('signin.failure', 'Failed sign-in'), ('signin.locked', 'Sign-in locked'), ('account.created', 'Account created'), ('account.role_changed', 'Role or access changed'), ('token.created', 'API token created'), ('token.revoked', 'API token revoked'), ('export', 'Export'), ('import', 'Import'), ('publication', 'Publication'), ('sending', 'Sending'), ('decision', 'Decision'), ('arbitration', 'Arbitration run'), ('report.generated', 'Report generated'), ('threshold.changed', 'Disclosure threshold changed'), ('configuration.changed', 'Configuration changed'), ('audit.purged', 'Audit trail purged'), ('privacy.erasure', 'Personal data erased'), ('privacy.retention', 'Retention applied')], db_index=True, max_length=40, verbose_name='action'),
        ),
        migrations.RunPython(create, previous),
    ]
