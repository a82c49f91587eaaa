"""The trail only grows: the model refuses changes on every database, and on PostgreSQL the
database refuses them too — even raw SQL — except the purge of entries past retention."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from phare.audit.models import AppendOnly, Entry
from phare.audit.services import purge
from tests.audit.factories import days_ago, make_entry

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="the trigger exists on PostgreSQL only")


def test_it_refuses_to_save_an_entry_again() -> None:
    entry = make_entry()
    entry.action = "decision"
    with pytest.raises(AppendOnly):
        entry.save()
    assert Entry.objects.get().action == "export"


def test_it_refuses_to_delete_an_entry() -> None:
    entry = make_entry()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.all().delete()
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=entry.pk).update(action="decision")
    assert Entry.objects.count() == 1


@postgresql_only
@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET action = 'decision'",
    "DELETE FROM audit_entry",
])
def test_it_refuses_raw_sql_on_postgresql(statement: str) -> None:
    make_entry(at=days_ago(1000))
    make_entry()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement)
    assert Entry.objects.count() == 2


@postgresql_only
def test_it_lets_the_purge_through_but_not_for_recent_entries_on_postgresql() -> None:
    old, recent = make_entry(at=days_ago(1000)), make_entry(at=days_ago(10))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        # What the purge declares does not open recent entries: the trigger compares each row.
        cursor.execute("SELECT set_config('phare.audit_purge_before', %s, true)",
                       [days_ago(400).isoformat()])
        cursor.execute("DELETE FROM audit_entry WHERE id = %s", [recent.pk])
    assert purge()["deleted"] == 1
    assert not Entry.objects.filter(pk=old.pk).exists()
    assert Entry.objects.filter(pk=recent.pk).exists()
    # The declaration ended with the purge's transaction.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_entry WHERE id = %s", [recent.pk])


def test_the_trigger_exists_exactly_on_postgresql() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = "
                           "'audit_entry_append_only'")
            assert cursor.fetchone()[0] == 1
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'audit_entry'")
            assert cursor.fetchone()[0] == 0
