"""Phare's PostgreSQL backend: its health check makes no round trip on a sound connection and
still finds a connection the server ended."""

from __future__ import annotations

import select
import time

import psycopg
import pytest
from django.core.signals import request_started
from django.db import connection, connections
from django.db.backends.postgresql import base as django_base

pytestmark = [pytest.mark.django_db(transaction=True),  # autocommit: the connection is idle
              pytest.mark.usefixtures("postgresql_only")]


@pytest.fixture
def stock_checks(monkeypatch):
    """How many times Django's own check (a ``SELECT 1``) ran."""
    calls = []
    stock = django_base.DatabaseWrapper.is_usable

    def counted(self):
        calls.append(self.alias)
        return stock(self)

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", counted)
    return calls


def _other_session():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def _until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_it_is_the_backend_in_use():
    assert connection.settings_dict["ENGINE"] == "phare.lib.postgresql"
    assert type(connections["default"]).__module__ == "phare.lib.postgresql.base"


def test_a_sound_idle_connection_is_usable_without_a_query(stock_checks):
    connection.ensure_connection()
    assert connection.is_usable()
    assert stock_checks == []


def test_a_connection_the_server_ended_is_not_usable(stock_checks):
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with _other_session() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        _until(lambda: other.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
                                     [pid]).fetchone()[0] == 0)
    assert not connection.is_usable()
    assert stock_checks  # the socket had something to say: Django's check ran, and failed
    connection.close()  # as Django does with a connection found unusable


def test_the_next_request_after_the_server_ended_the_connection_gets_a_new_one():
    """Django's request cycle: at a request's start, ``close_old_connections``; at its first
    query, the health check, which finds the connection dead and opens another (with a check
    that said "usable", that query would fail)."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with _other_session() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    request_started.send(sender=None)  # close_old_connections: the check is due again
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_connection_with_something_to_read_gets_the_full_check(stock_checks):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("LISTEN phare_test_channel")
    with _other_session() as other:
        other.execute("NOTIFY phare_test_channel, 'hello'")
    _until(lambda: bool(select.select([connection.connection.pgconn.socket], [], [], 0)[0]))
    assert connection.is_usable()
    assert stock_checks == ["default"]
    with connection.cursor() as cursor:
        cursor.execute("UNLISTEN *")


def test_a_connection_in_a_transaction_gets_the_full_check(stock_checks):
    connection.ensure_connection()
    connection.connection.execute("BEGIN")
    try:
        assert connection.is_usable()
        assert stock_checks == ["default"]
    finally:
        connection.connection.execute("ROLLBACK")
