"""Exactly once, said once: of twin submissions, only the one that wrote is told ``created``.

Runs on SQLite too: the twin that lost the race is played by hiding the winner's row from the
first look-up, so that the insert meets the unique submission id (as on PostgreSQL, where
``test_respond_concurrency`` runs it with 50 real threads).
"""

from __future__ import annotations

import uuid

import pytest

from phare.listening import services
from phare.listening.models import Response, Survey
from tests.listening.factories import full_answers, make_barometer

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey() -> Survey:
    return services.survey_set_status(make_barometer("ouvert", open_link=True),
                                      Survey.Status.OPEN)


def _record(survey: Survey, key: str):
    return services.response_record(survey=survey, answers=full_answers(), channel="open_link",
                                    submission_id=key)


def test_the_first_submission_is_created_and_its_twin_is_not(survey):
    key = str(uuid.uuid4())
    first, created = _record(survey, key)
    assert created
    again, created_again = _record(survey, key)
    assert again.pk == first.pk and not created_again
    assert services.response_submit(survey=survey, answers=full_answers(), channel="open_link",
                                    submission_id=key).pk == first.pk


def test_a_twin_that_loses_the_race_is_not_told_it_created(survey, monkeypatch):
    key = str(uuid.uuid4())
    winner, _created = _record(survey, key)
    real_filter = Response.objects.filter
    hidden = {"first": True}

    def filter_once_blind(*args, **kwargs):
        # The twin's first look-up runs before the winner commits: it sees nothing.
        if hidden["first"] and kwargs.get("submission_id") is not None:
            hidden["first"] = False
            return Response.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Response.objects, "filter", filter_once_blind)
    twin, created = _record(survey, key)
    assert not hidden["first"], "the twin's first look-up was not played"
    assert twin.pk == winner.pk and not created
    assert Response.objects.count() == 1


def test_the_open_link_answers_201_once_then_200(client, survey):
    path = f"/s/open/{survey.open_token}/response.json"
    body = {"submission_id": str(uuid.uuid4()), "answers": full_answers()}
    first = client.post(path, body, content_type="application/json")
    second = client.post(path, body, content_type="application/json")
    assert (first.status_code, first.json()["created"]) == (201, True)
    assert (second.status_code, second.json()["created"]) == (200, False)
