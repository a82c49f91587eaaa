"""The open link's JSON submission on its fast path: one insert guarded by the unique
``submission_id``, the open link read in one query, and a version's questions kept per process
once it is answered (frozen) — with every rule of the slow path still holding."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from phare.listening import services
from phare.listening.answering import links
from phare.listening.models import Response, Survey, Wave
from tests.listening.factories import full_answers, make_barometer

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared() -> Survey:
    return services.survey_set_status(make_barometer("ouvert", open_link=True),
                                      Survey.Status.OPEN)


def post(client, survey: Survey, key: str, answers: dict):
    return client.post(f"/s/open/{survey.open_token}/response.json",
                       {"submission_id": key, "answers": answers},
                       content_type="application/json")


def test_it_answers_a_replay_with_the_first_response_even_with_other_answers(client, shared):
    key = str(uuid.uuid4())
    first = post(client, shared, key, full_answers())
    assert first.status_code == 201
    # Answers that would now be refused: the replay is still answered by what was recorded.
    replay = post(client, shared, key, {"csat": 99, "nope": 1})
    assert replay.status_code == 200
    assert replay.json() == {"id": first.json()["id"], "created": False}
    assert Response.objects.get().answers["csat"] == 4


def test_it_refuses_a_submission_id_of_another_survey(client, shared):
    other = services.survey_set_status(make_barometer("autre", open_link=True),
                                       Survey.Status.OPEN)
    key = str(uuid.uuid4())
    assert post(client, other, key, full_answers()).status_code == 201
    taken = post(client, shared, key, full_answers())
    assert taken.status_code == 422
    assert taken.json()["error"]["details"] == [
        {"field": "submission_id", "reason": taken.json()["error"]["message"]}]
    assert Response.objects.filter(survey=shared).count() == 0


def test_it_collects_with_the_only_open_wave_or_else_the_newest_version(shared):
    link = links.open_link(shared.open_token)
    assert link is not None and link.wave is None
    assert link.version == shared.current_version() and link.survey == shared
    first = services.wave_create(shared, name="Vague 1", opens_on=TODAY,
                                 closes_on=TODAY + dt.timedelta(days=14))
    Wave.objects.filter(pk=first.pk).update(status=Wave.Status.OPEN)
    link = links.open_link(shared.open_token)
    assert link is not None and link.wave == first and link.version == first.version
    second = services.wave_create(shared, name="Vague 2", opens_on=TODAY,
                                  closes_on=TODAY + dt.timedelta(days=14))
    Wave.objects.filter(pk=second.pk).update(status=Wave.Status.OPEN)
    link = links.open_link(shared.open_token)
    assert link is not None and link.wave is None  # two open waves: none is chosen
    assert (link.version, link.wave) == links.open_link_target(shared)
    assert links.open_link("x" * 32) is None
    Survey.objects.filter(pk=shared.pk).update(open_link=False)
    assert links.open_link(shared.open_token) is None


def test_a_changed_questionnaire_is_read_again_after_answers_were_kept(
        client, shared, django_capture_on_commit_callbacks):
    # Committed: the version's questions are now kept by this process.
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, shared, str(uuid.uuid4()), full_answers()).status_code == 201
    answered = shared.current_version()
    # The version is answered, so a new question makes a new version, read afresh.
    services.question_add(shared, code="extra", type="text", required=True,
                          text_fr="Autre chose ?")
    assert shared.current_version() != answered
    missing = post(client, shared, str(uuid.uuid4()), full_answers())
    assert missing.status_code == 422
    assert [d["field"] for d in missing.json()["error"]["details"]] == ["extra"]
    created = post(client, shared, str(uuid.uuid4()), {**full_answers(), "extra": "Non"})
    assert created.status_code == 201
    assert Response.objects.get(pk=created.json()["id"]).version == shared.current_version()


def test_a_version_is_kept_only_once_its_response_is_committed(client, shared):
    # Not committed (the test's transaction): nothing is kept, the version may still change.
    assert post(client, shared, str(uuid.uuid4()), full_answers()).status_code == 201
    Response.objects.all().delete()
    services.question_add(shared, code="extra", type="text", required=True,
                          text_fr="Autre chose ?")
    missing = post(client, shared, str(uuid.uuid4()), full_answers())
    assert missing.status_code == 422
    assert [d["field"] for d in missing.json()["error"]["details"]] == ["extra"]


def fields(row) -> dict:
    return {field.attname: getattr(row, field.attname)
            for field in type(row)._meta.concrete_fields}


def test_it_reads_the_open_link_field_by_field_as_the_orm_does(shared,
                                                              django_assert_num_queries):
    # JSON, dates, times and booleans: what SQLite stores as text or numbers comes back typed.
    Survey.objects.filter(pk=shared.pk).update(languages=["fr", "en", "de"],
                                               translations={"de": {"title": "Umfrage"}})
    wave = services.wave_create(shared, name="Vague 1", opens_on=TODAY,
                                closes_on=TODAY + dt.timedelta(days=14))
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.OPEN,
                                           audience={"units": ["DSI"]}, reminder_days=[7, 14])
    with django_assert_num_queries(1):
        link = links.open_link(shared.open_token)
    assert link is not None and link.wave is not None
    assert fields(link.survey) == fields(Survey.objects.get(pk=shared.pk))
    assert fields(link.wave) == fields(Wave.objects.get(pk=wave.pk))
    assert fields(link.version) == fields(Wave.objects.get(pk=wave.pk).version)
    assert not link.survey._state.adding and link.survey._state.db == "default"
    # What a submission reads of them is already there.
    with django_assert_num_queries(0):
        assert link.wave.version is link.version and link.version.survey is link.survey
        assert link.wave.survey is link.survey


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_replay_leaves_the_connection_usable():
    # As in production: no transaction around the request, the insert is its own. A replay's
    # refused insert must not leave a failed transaction behind on the connection.
    survey = services.survey_set_status(make_barometer("hors", open_link=True),
                                        Survey.Status.OPEN)
    client = Client()
    key = str(uuid.uuid4())
    first = post(client, survey, key, full_answers())
    assert first.status_code == 201
    replay = post(client, survey, key, full_answers())
    assert replay.status_code == 200
    assert replay.json() == {"id": first.json()["id"], "created": False}
    assert post(client, survey, str(uuid.uuid4()), full_answers()).status_code == 201
    assert Response.objects.filter(survey=survey).count() == 2
