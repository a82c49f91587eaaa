from __future__ import annotations

import json

import pytest

from phare.accounts.services import token_create
from phare.reports import services
from tests.reports.factories import fake_content, fake_renderers


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")


@pytest.fixture
def fake_render(monkeypatch):
    """The content and renderers replaced by small fakes (their own tests are elsewhere)."""
    monkeypatch.setattr(services.report_content, "build", fake_content)
    monkeypatch.setattr(services, "RENDERERS", fake_renderers())


@pytest.fixture
def api(client, personas):
    """``api(persona, method, path, data=None)``: the answer of ``/api/v1<path>``."""
    def call(persona, method, path, data=None):
        _token, raw = token_create(user=personas[persona], name="test")
        return client.generic(method, "/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {raw}",
                              content_type="application/json",
                              data="" if data is None else json.dumps(data))
    return call
