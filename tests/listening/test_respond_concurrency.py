"""Exactly-once submission under 50 concurrent clients, each on its own database connection.

Run on PostgreSQL (``PHARE_TEST_DATABASE_URL``), where requests truly overlap: the invitation's
row lock and the unique submission id are what keep a second response out.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from phare.listening import services
from phare.listening.models import Invitation, Response, Survey
from tests.listening.factories import full_answers, make_barometer

CLIENTS = 50

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(autouse=True)
def _postgresql_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write, so there is no race to test: run with "
                    "PHARE_TEST_DATABASE_URL=postgres://… to check exactly-once submission")
    # 50 posts from one address: the open link's rate limit is not what is tested here.
    settings.PHARE_OPEN_SURVEY_RATE = f"{CLIENTS * 2}/600"
    cache.clear()


def _all_at_once(path: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    """POST each body from its own thread (own connection), released together."""
    start = threading.Barrier(len(bodies))

    def post(body: dict) -> tuple[int, dict]:
        try:
            client = Client()
            start.wait(timeout=30)
            response = client.post(path, body, content_type="application/json")
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_it_makes_one_response_for_one_submission_id_from_50_clients(db):
    survey = make_barometer("ouvert", open_link=True)
    services.survey_set_status(survey, Survey.Status.OPEN)
    key = str(uuid.uuid4())
    results = _all_at_once(f"/s/open/{survey.open_token}/response.json",
                           [{"submission_id": key, "answers": full_answers()}] * CLIENTS)
    assert {status for status, _body in results} <= {200, 201}, results
    assert Response.objects.count() == 1
    response = Response.objects.get()
    assert str(response.submission_id) == key
    assert {body["id"] for _status, body in results} == {str(response.pk)}
    # Said once: exactly one client is told it created the response (201), the others 200.
    assert sum(body["created"] for _status, body in results) == 1, results
    assert sorted(status for status, _body in results) == [200] * (CLIENTS - 1) + [201]


@pytest.mark.parametrize("anonymity", ["anonymous", "confidential"])
def test_it_makes_one_response_for_50_clients_on_one_invitation(personas, anonymity):
    survey = make_barometer(f"b-{anonymity}", anonymity=anonymity)
    services.survey_set_status(survey, Survey.Status.OPEN)
    person = personas["employee"].person
    invitation = Invitation.objects.create(survey=survey, version=survey.current_version(),
                                           person=person, **services.segment_of(person))
    results = _all_at_once(f"/s/{invitation.token}/response.json",
                           [{"answers": full_answers(), "submission_id": str(uuid.uuid4())}
                            for _ in range(CLIENTS)])
    assert {status for status, _body in results} <= {200, 201}, results
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.responded
    ids = {body["id"] for _status, body in results}
    if anonymity == "anonymous":
        assert ids == {None}
    else:
        assert ids == {str(Response.objects.get().pk)}
    # The invitation is locked while deciding: exactly one client is told it created it.
    assert sum(body["created"] for _status, body in results) == 1
