"""Tables kept in the worker's DuckDB database (:func:`phare.insights.store.keep`): the rows of
their statement, made once, never read for a store that changed since, made again when
dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from phare.insights import store
from phare.listening import services
from phare.listening.models import Survey
from phare.tickets.services import ticket_survey_create
from tests.insights.factories import rate

RATINGS = "SELECT response, rating FROM tickets WHERE rating >= ?"


@pytest.fixture
def survey(personas):
    survey = ticket_survey_create()
    services.survey_set_status(survey, Survey.Status.OPEN)
    for number in range(6):
        rate(survey, None, number, rating=number + 4, lost="none")
    return survey


def rows(survey: Survey, table: str) -> list[tuple[str, float]]:
    frame = store.query([survey], f"SELECT response, rating FROM {table} ORDER BY 1")
    return list(frame.itertuples(index=False, name=None))


def test_it_keeps_a_statements_rows_once(survey):
    name = store.keep([survey], RATINGS, [6])
    assert store.keep([survey], RATINGS, [6]) == name
    assert store.keep([survey], RATINGS, [8]) != name
    expected = store.query([survey], RATINGS + " ORDER BY 1", [6])
    assert rows(survey, name) == list(expected.itertuples(index=False, name=None))
    assert len(rows(survey, name)) == 4


def test_a_table_dropped_to_make_room_is_made_again_when_read(survey, monkeypatch):
    monkeypatch.setattr(store, "_KEPT_TABLES", 1)
    first = store.keep([survey], RATINGS, [6])
    kept = rows(survey, first)
    second = store.keep([survey], RATINGS, [9])
    assert first not in store._kept and second in store._kept
    assert rows(survey, first) == kept  # made again from its statement


def test_a_changed_store_gives_a_new_table(survey):
    before = store.keep([survey], RATINGS, [0])
    assert len(rows(survey, before)) == 6
    rate(survey, None, 40, rating=10, lost="none", day=dt.date(2026, 3, 25))
    store.refresh(survey)
    after = store.keep([survey], RATINGS, [0])
    assert after != before and len(rows(survey, after)) == 7
    assert before not in store._kept  # dropped when the views were declared again
