"""The respondent's JSON endpoints refuse bad bodies in the API's error shape, never a 500."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.cache import cache

from phare.listening import services
from phare.listening.models import Response, Survey
from tests.listening.factories import full_answers, make_barometer


@pytest.fixture
def path(db) -> str:
    cache.clear()
    survey = services.survey_set_status(make_barometer("ouvert", open_link=True),
                                        Survey.Status.OPEN)
    return f"/s/open/{survey.open_token}/response.json"


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    return response.json()["error"]


def test_it_refuses_deeply_nested_json(client, path):
    body = '{"answers": ' + "[" * 100_000 + "]" * 100_000 + "}"
    error = _error(client.post(path, body, content_type="application/json"), 400)
    assert "64" in error["message"] and error["details"][0]["field"] == "body"
    assert not Response.objects.exists()


def test_it_refuses_a_body_over_the_limit_with_413(client, path, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"submission_id": str(uuid.uuid4()),
                       "answers": {**full_answers(), "comment": "x" * 2000}})
    error = _error(client.post(path, body, content_type="application/json"), 413)
    assert error["code"] == "too_large"
    assert not Response.objects.exists()


@pytest.mark.parametrize("body", ["[1]", '"text"', "null", "3"])
def test_it_refuses_a_body_that_is_not_an_object(client, path, body):
    error = _error(client.post(path, body, content_type="application/json"), 422)
    assert [detail["field"] for detail in error["details"]] == ["body"]
