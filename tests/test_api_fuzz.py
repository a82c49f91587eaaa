"""Schemathesis against the whole API: no server error, no answer outside its schema.

Every operation of ``/api/v1/openapi.json`` is called with generated input (valid and not),
as the administrator and as the marketing lead, through Django's WSGI application. Bounded by
``PHARE_FUZZ_EXAMPLES`` examples per operation (5 by default, 25 in CI's own step).
Schemathesis' coverage phase (boundary values of every field and parameter, about 60 % of
the fuzzing's cost at 5 examples) runs when ``PHARE_FUZZ_COVERAGE=1``, as in CI's own step.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from phare.accounts.services import token_create

EXAMPLES = int(os.environ.get("PHARE_FUZZ_EXAMPLES", "5"))
COVERAGE = os.environ.get("PHARE_FUZZ_COVERAGE", "") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction (on PostgreSQL, the next query would fail).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "marketing"])
def token(request, personas):
    _token, raw = token_create(user=personas[request.param], name="fuzz")
    return raw


# Reading the document touches no database: it can be loaded at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.phases.coverage.enabled = COVERAGE


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_within_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
