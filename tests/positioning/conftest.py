"""What the positioning tests share: English (pages by the reader's cookie, the rest by the
active language; a test about French says so), and the API called with a persona's token."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from phare.accounts.services import token_create


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def api(client, personas):
    """``api(persona, method, path, data=None)``: the answer of ``/api/v1<path>``."""
    def call(persona, method, path, data=None):
        _token, raw = token_create(user=personas[persona], name="test")
        return client.generic(method, "/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {raw}",
                              content_type="application/json",
                              data="" if data is None else json.dumps(data))
    return call
