"""On PostgreSQL the open link's statement is prepared once per database session
(phare.listening.answering.links): the same answers, one query, and a new session prepares
it again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from phare.listening import services
from phare.listening.answering import links
from phare.listening.models import Survey, Wave
from tests.listening.factories import make_barometer

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("postgresql_only")]

TODAY = dt.date(2026, 12, 8)


@pytest.fixture
def shared() -> Survey:
    return services.survey_set_status(make_barometer("ouvert", open_link=True),
                                      Survey.Status.OPEN)


def prepared_here() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return [name for (name,) in cursor.fetchall()]


def test_the_first_read_of_a_session_prepares_the_statement_in_the_same_query(shared):
    connection.close()  # a new session
    with CaptureQueriesContext(connection) as first:
        link = links.open_link(shared.open_token)
    assert link is not None and link.survey == shared and link.wave is None
    assert link.version == shared.current_version()
    assert len(first) == 1 and first[0]["sql"].startswith(f"PREPARE {links.PREPARED_NAME} AS ")
    assert links.PREPARED_NAME in prepared_here()
    with CaptureQueriesContext(connection) as second:
        again = links.open_link(shared.open_token)
    assert [q["sql"].split(" (")[0] for q in second] == [f"EXECUTE {links.PREPARED_NAME}"]
    assert again == link


def test_the_prepared_statement_answers_as_the_plain_one(shared):
    def plain() -> tuple:
        statement, _parts = links._open_link_statement(connection)
        with connection.cursor() as cursor:
            cursor.execute(statement, ["open", "open", shared.open_token, True])
            return cursor.fetchone()

    def prepared() -> tuple:
        statement, _parts = links._open_link_statement(connection)
        with connection.cursor() as cursor:
            links._execute_prepared(cursor, statement, ["open", "open", shared.open_token, True])
            return cursor.fetchone()

    assert prepared() == plain()
    wave = services.wave_create(shared, name="Vague 1", opens_on=TODAY,
                                closes_on=TODAY + dt.timedelta(days=14))
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.OPEN)
    assert prepared() == plain()
    link = links.open_link(shared.open_token)
    assert link is not None and link.wave == wave and link.version == wave.version
    Survey.objects.filter(pk=shared.pk).update(open_link=False)
    assert links.open_link(shared.open_token) is None


def test_a_new_session_or_a_rolled_back_transaction_does_not_lose_it(shared):
    links.open_link(shared.open_token)
    connection.close()  # the next query opens a new session, where nothing is prepared
    assert links.open_link(shared.open_token) is not None
    assert links.PREPARED_NAME in prepared_here()
    connection.close()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert links.open_link(shared.open_token) is not None  # prepared in the transaction
        raise RuntimeError("rolled back")
    with CaptureQueriesContext(connection) as after:
        assert links.open_link(shared.open_token) is not None
    assert after[0]["sql"].startswith(f"EXECUTE {links.PREPARED_NAME}")


def test_a_failure_around_the_statement_is_not_left_for_the_next_reads(shared):
    statement, _parts = links._open_link_statement(connection)
    connection.close()
    # PREPARE succeeds and the EXECUTE sent with it fails (a value of the wrong type): the
    # name is taken in the session, though the read failed.
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        links._execute_prepared(cursor, statement, ["open", "open", "x", "not a boolean"])
    assert links.PREPARED_NAME in prepared_here()
    assert links.open_link(shared.open_token) is not None  # found prepared: executed
    # Dropped behind Phare's back: the read fails once, the next prepares it again.
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {links.PREPARED_NAME}")
    with pytest.raises(DatabaseError):
        links.open_link(shared.open_token)
    assert links.open_link(shared.open_token) is not None
    assert links.PREPARED_NAME in prepared_here()
