"""Listening fixtures: a barometer with every question type (the helpers are in
``factories.py``), and ``api(method, path, data=None)``: the API called with the marketing
lead's token (GET data as the query string, other data as JSON)."""

from __future__ import annotations

import json

import pytest

from phare.accounts.services import token_create
from phare.listening.models import Survey
from tests.listening.factories import make_barometer


@pytest.fixture
def barometer(personas) -> Survey:
    return make_barometer(created_by=personas["marketing"])

@pytest.fixture
def api(client, personas):
    _token, raw = token_create(user=personas["marketing"], name="api")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(method: str, path: str, data=None):
        if method == "GET":
            return client.get("/api/v1" + path, data or {}, **headers)
        return client.generic(method, "/api/v1" + path, json.dumps(data or {}),
                              content_type="application/json", **headers)

    return call
